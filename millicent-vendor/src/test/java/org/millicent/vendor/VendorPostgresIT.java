package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Two vendor replicas on one PostgreSQL schema (the shared spent list): they share keys, and of
 * concurrent payments with one scrip at both, exactly one is accepted. Skips when PostgreSQL is
 * unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class VendorPostgresIT {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void twoReplicas_neverAcceptOneScripTwice() throws Exception {
    String url = TestDatabases.freshSchemaUrl();
    VendorConfig config =
        VendorConfig.sampleBuilder()
            .port(0)
            .database(url)
            .adminToken("replica-admin-token-0123")
            .build();
    try (VendorServer a = VendorServer.start(config, dirA);
        VendorServer b = VendorServer.start(config, dirB);
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      long alice = OwnCustomers.of(a).newCustomerId();
      assertThat(OwnCustomers.of(b).newCustomerId()).isNotEqualTo(alice);
      CustomerSecret secret = OwnCustomers.of(a).customerSecret(alice);
      assertThat(OwnCustomers.of(b).customerSecret(alice)).isEqualTo(secret);
      Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      TestHttp ha = new TestHttp(a.url());
      TestHttp hb = new TestHttp(b.url());
      int accepted = 0;
      for (int i = 0; i < 20; i++) {
        Scrip s = OwnCustomers.of(a).mint(1_000, alice, exp);
        List<Callable<HttpResponse<byte[]>>> both = new ArrayList<>();
        both.add(
            () ->
                ha.pay(ha.signed(s, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]));
        both.add(
            () ->
                hb.pay(
                    hb.signed(s, secret, "GET", "/pages/weather.html", new byte[0]), new byte[0]));
        int ok = 0;
        for (Future<HttpResponse<byte[]>> f : pool.invokeAll(both)) {
          int status = f.get().statusCode();
          assertThat(status).isIn(200, 402);
          ok += status == 200 ? 1 : 0;
        }
        assertThat(ok).as("payments accepted for scrip %s", s.id()).isEqualTo(1);
        accepted += ok;
      }
      assertThat(accepted).isEqualTo(20);
      // Scrip minted by one replica is good at the other.
      Scrip s = OwnCustomers.of(b).mint(500, alice, exp);
      assertThat(
              ha.pay(ha.signed(s, secret, "GET", "/pages/weather.html", new byte[0]), new byte[0])
                  .statusCode())
          .isEqualTo(200);
    }
  }
}
