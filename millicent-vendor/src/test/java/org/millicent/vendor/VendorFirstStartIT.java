package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Two vendor replicas started at the same moment on one empty database: whichever creates the
 * secrets, both must end up with the same ones (docs/STORAGE.md, "First start"). Each round uses a
 * fresh database, since only the first start generates keys. Runs on PostgreSQL (skipped when it is
 * unreachable, failed when MILLICENT_REQUIRE_POSTGRES=true); on one SQLite file only one may start.
 */
class VendorFirstStartIT {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void twoReplicasStartingTogetherOnEmptyPostgres_shareTheirSecrets() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      startTogetherAndCompare(round, TestDatabases.freshSchemaUrl());
    }
  }

  /**
   * A SQLite spent list is decided in one process's memory, so two vendors on one SQLite file (each
   * with its own data folder) would accept the same scrip twice: of two started together, one
   * starts and the other is refused.
   */
  @Test
  void twoVendorsStartingTogetherOnOneSqliteFile_oneStarts_theOtherIsRefused() throws Exception {
    for (int round = 0; round < 5; round++) {
      VendorConfig config =
          VendorConfig.sampleBuilder()
              .port(0)
              .database(dir.resolve("shared-" + round + ".db").toString())
              .adminToken("first-start-admin-token-0123")
              .build();
      Race r = race(config, dir.resolve("a-" + round), dir.resolve("b-" + round));
      try {
        assertThat(r.started()).as("round %d", round).hasSize(1);
        assertThat(r.refused()).singleElement().satisfies(VendorFirstStartIT::saysTheFileIsTaken);
      } finally {
        r.started().forEach(VendorServer::close);
      }
    }
  }

  /** Two vendor starts at the same moment: the vendors that started and why the others did not. */
  private record Race(List<VendorServer> started, List<Throwable> refused) {}

  /** Starts vendors on {@code dirA} and {@code dirB} at the same moment (a barrier) and waits. */
  private static Race race(VendorConfig config, Path dirA, Path dirB) throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    List<Callable<VendorServer>> starts = new ArrayList<>();
    for (Path d : List.of(dirA, dirB)) {
      starts.add(
          () -> {
            together.await(30, TimeUnit.SECONDS);
            return VendorServer.start(config, d);
          });
    }
    List<VendorServer> started = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (Future<VendorServer> f : pool.invokeAll(starts)) {
        try {
          started.add(f.get());
        } catch (ExecutionException e) {
          refused.add(e.getCause());
        }
      }
    }
    return new Race(started, refused);
  }

  private static void saysTheFileIsTaken(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    assertThat(all.toString()).contains("would accept the same scrip twice");
  }

  /**
   * One data folder holds one vendor (docs/STORAGE.md): of two started together on it, one starts
   * with a complete generated admin token and the other is refused with a clear error.
   */
  @Test
  void twoVendorsStartingTogetherInOneEmptyFolder_oneStarts_theOtherIsRefused() throws Exception {
    for (int round = 0; round < 5; round++) {
      Path folder = dir.resolve("folder-" + round);
      VendorConfig config = VendorConfig.sampleBuilder().port(0).build();
      Race r = race(config, folder, folder);
      try {
        assertThat(r.started()).as("round %d", round).hasSize(1);
        assertThat(r.refused())
            .singleElement()
            .isInstanceOf(IllegalStateException.class)
            .extracting(Throwable::getMessage)
            .asString()
            .contains("another vendor is already running on the data folder");
        assertThat(r.started().get(0).adminToken())
            .hasSize(48)
            .isEqualTo(Files.readString(folder.resolve(VendorServer.ADMIN_TOKEN_FILE)).strip());
      } finally {
        r.started().forEach(VendorServer::close);
      }
    }
  }

  private void startTogetherAndCompare(int round, String database) throws Exception {
    VendorConfig config =
        VendorConfig.sampleBuilder()
            .port(0)
            .database(database)
            .adminToken("first-start-admin-token-0123")
            .build();
    VendorServer[] both =
        startTogether(config, dir.resolve("a-" + round), dir.resolve("b-" + round));
    try {
      assertShareSecrets(round, both[0], both[1]);
    } finally {
      closeBoth(both[0], both[1]);
    }
  }

  /** Both see the same customer secrets, and scrip minted by either is good at the other. */
  private static void assertShareSecrets(int round, VendorServer a, VendorServer b) {
    long alice = OwnCustomers.of(a).newCustomerId();
    CustomerSecret secret = OwnCustomers.of(a).customerSecret(alice);
    assertThat(OwnCustomers.of(b).customerSecret(alice))
        .as("round %d: the customer secret of the vendor's own customers", round)
        .isEqualTo(secret);
    long broker = 5; // selector 0: the brokers' customer IDs
    assertThat(OwnCustomers.of(b).customerSecret(broker))
        .as("round %d: the customer secret of a broker", round)
        .isEqualTo(OwnCustomers.of(a).customerSecret(broker));
    Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Scrip fromA = OwnCustomers.of(a).mint(1_000, alice, exp);
    Scrip fromB = OwnCustomers.of(b).mint(1_000, alice, exp);
    assertThat(fromA.id()).as("round %d: one serial issued twice", round).isNotEqualTo(fromB.id());
    assertThat(
            new TestHttp(b.url())
                .pay(
                    new TestHttp(b.url())
                        .signed(fromA, secret, "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .as("round %d: scrip minted by A, paid at B", round)
        .isEqualTo(200);
    assertThat(
            new TestHttp(a.url())
                .pay(
                    new TestHttp(a.url())
                        .signed(fromB, secret, "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .as("round %d: scrip minted by B, paid at A", round)
        .isEqualTo(200);
  }

  /** Starts two vendors at the same moment; both or neither (the other is closed on failure). */
  private static VendorServer[] startTogether(VendorConfig config, Path dirA, Path dirB)
      throws Exception {
    Race r = race(config, dirA, dirB);
    if (!r.refused().isEmpty()) {
      r.started().forEach(VendorServer::close);
      throw new AssertionError("a vendor did not start", r.refused().getFirst());
    }
    return r.started().toArray(VendorServer[]::new);
  }

  private static void closeBoth(VendorServer a, VendorServer b) {
    try {
      if (a != null) {
        a.close();
      }
    } finally {
      if (b != null) {
        b.close();
      }
    }
  }
}
