package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.testing.RawHttp;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Two reverse-proxy replicas on one PostgreSQL schema (issue 12, part 1): replica A claims a scrip
 * and calls a blocking origin, then dies (its database sessions end, as when its process is
 * killed); the identical retry at replica B takes the claim over and completes at once, exactly
 * once, instead of being refused {@code spent} for 15 minutes. Fails instead of skipping when
 * MILLICENT_REQUIRE_POSTGRES=true and PostgreSQL is unreachable.
 */
class VendorReplicaTakeoverIT {
  /** The one origin customers address both replicas by. */
  private static final Authority PUBLIC = Authority.of("http", "venetia.test", -1);

  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void replicaDiesBetweenClaimAndCommit_identicalRetryAtAnotherReplicaCompletesOnce()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    TestOrigin origin =
        TestOrigin.start(
            ex -> {
              try (ex) {
                if (calls.incrementAndGet() == 1) {
                  release.await(30, TimeUnit.SECONDS); // replica A's call hangs until A is dead
                }
                byte[] out = "the page".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    String url = TestDatabases.freshSchemaUrl();
    VendorConfig config =
        VendorConfig.builder("venetia")
            .port(0)
            .database(url)
            .adminToken("replica-admin-token-0123")
            .publicUrl("http://venetia.test")
            .price("GET", "/**", 100)
            .content(origin.content(Duration.ofSeconds(60)))
            .build();
    try (VendorServer a = VendorServer.start(config, dirA);
        VendorServer b = VendorServer.start(config, dirB);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long alice = OwnCustomers.of(a).newCustomerId();
      CustomerSecret secret = OwnCustomers.of(a).customerSecret(alice);
      Scrip s =
          OwnCustomers.of(a)
              .mint(
                  10_000,
                  alice,
                  Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
      // Both replicas are addressed as one public origin, behind a load balancer.
      Payment.Signed p =
          Payer.signed(
              s,
              secret,
              Nonce.random(TestHttp.RANDOM),
              RequestDescriptor.of(PUBLIC, "GET", "/page", new byte[0]));
      String auth = "Authorization: " + PaymentHeader.format(p);
      Future<RawHttp.Response> atA =
          pool.submit(() -> RawHttp.exchangeAs(a.url(), PUBLIC.host(), "GET", "/page", auth));
      while (calls.get() == 0) {
        Thread.sleep(5);
      }
      killSessionsOf(a.state().spends.replicaLockClass(), a.state().spends.replicaId());

      RawHttp.Response atB = RawHttp.exchangeAs(b.url(), PUBLIC.host(), "GET", "/page", auth);
      assertThat(atB.status()).as(atB.body()).isEqualTo(200);
      String change = AuthParams.parse(atB.header(Headers.RECEIPT)).get("change");
      assertThat(ScripCodec.fromToken(change).valueMillicents()).isEqualTo(9_900);

      release.countDown();
      RawHttp.Response late = atA.get(60, TimeUnit.SECONDS);
      assertThat(late.status()).as("A lost its claim and must not deliver").isNotEqualTo(200);
      assertThat(late.header(Headers.RECEIPT)).isNull();
      RawHttp.Response again = RawHttp.exchangeAs(b.url(), PUBLIC.host(), "GET", "/page", auth);
      assertThat(AuthParams.parse(again.header(Headers.RECEIPT)).get("change")).isEqualTo(change);
      assertThat(calls.get()).isEqualTo(3); // A's call, B's take-over, B's GET replay
    } finally {
      origin.close();
    }
  }

  /** Ends replica {@code id}'s lock session and waits until its lock is free, as a kill would. */
  private static void killSessionsOf(long lockClass, long id) throws Exception {
    String lock =
        "locktype = 'advisory' AND classid = "
            + lockClass
            + "::bigint::oid AND objid = "
            + id
            + "::bigint::oid AND objsubid = 2";
    try (Connection c = TestDatabases.adminConnection();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE " + lock);
      for (int i = 0; i < 1000; i++) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE " + lock)) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
      throw new AssertionError("the lock of replica " + id + " is still held");
    }
  }
}
