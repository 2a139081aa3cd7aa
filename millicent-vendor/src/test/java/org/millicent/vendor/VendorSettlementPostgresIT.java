package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The received report on PostgreSQL never skips a record that commits late (docs/BROKER.md,
 * "Settlement"): a received record that took its sequence number before a later one, but commits
 * after a report covered the later one, is still reported. The late commit is real: a trigger holds
 * the insert of one scrip's record, inside the vendor's transaction, until the test lets it go.
 * Skips when PostgreSQL is unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class VendorSettlementPostgresIT {
  @TempDir Path dir;
  @TempDir Path otherDir;

  @Test
  void recordCommittingAfterALaterOne_isReportedBeforeTheSettlementPassesIt() throws Exception {
    String schema = TestDatabases.postgresConfig(4).schema();
    String url = TestDatabases.postgresUrl(schema);
    VendorConfig config =
        VendorConfig.sampleBuilder()
            .port(0)
            .database(url)
            .adminToken(TestLicences.ADMIN)
            .broker(TestLicences.BOB)
            .build();
    long holdKey = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 62);
    // Two replicas on one schema: each writes its received records in order from one queue, so a
    // record that took a lower seq but commits after a higher one comes from another process.
    try (VendorServer vendor = VendorServer.start(config, dir);
        VendorServer other = VendorServer.start(config, otherDir);
        Connection sql = TestDatabases.adminConnection();
        Statement st = sql.createStatement();
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      TestHttp http = new TestHttp(vendor.url());
      TestHttp otherHttp = new TestHttp(other.url());
      TestLicences.Licensed bob = TestLicences.licence(http);
      // The first report after start repairs missing records from the spent list, which would
      // wait for the held record below: take it now, so the reports below are ordinary ones.
      assertThat(TestLicences.reported(http).ids()).isEmpty();
      assertThat(TestLicences.reported(otherHttp).ids()).isEmpty();
      Scrip late = bob.mint(700);
      Scrip early = bob.mint(900);
      st.execute("SET search_path TO \"" + schema + "\"");
      st.execute(
          "CREATE FUNCTION hold_received() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " IF NEW.scrip_id = "
              + late.id().toLong()
              + " THEN PERFORM pg_advisory_xact_lock("
              + holdKey
              + "); END IF; RETURN NEW; END $$");
      st.execute(
          "CREATE TRIGGER hold_received BEFORE INSERT ON gateway_received"
              + " FOR EACH ROW EXECUTE FUNCTION hold_received()");
      st.executeQuery("SELECT pg_advisory_lock(" + holdKey + ")").close();

      // The late record takes its sequence number, then waits inside its transaction.
      Future<HttpResponse<byte[]>> latePaid = pool.submit(() -> bob.pay(http, late));
      int holder =
          waitForSession(
              st,
              "SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                  + " AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = "
                  + holdKey);
      // A later record, at the other replica, commits at once.
      assertThat(bob.pay(otherHttp, early).statusCode()).isEqualTo(200);

      // A report now must not cover the early record's number while the late one is pending:
      // it either waits for the late one or stops below it.
      CompletableFuture<HttpResponse<byte[]>> first =
          CompletableFuture.supplyAsync(() -> TestLicences.report(otherHttp), pool);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!first.isDone() && blockedBy(st, holder) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      st.executeQuery("SELECT pg_advisory_unlock(" + holdKey + ")").close();
      assertThat(latePaid.get().statusCode()).isEqualTo(200);

      TestLicences.Report r1 = TestLicences.parse(first.get());
      TestLicences.settle(http, r1.upto());
      TestLicences.Report r2 = TestLicences.reported(http);
      Map<String, Long> settled = new HashMap<>(r1.ids());
      r2.ids().forEach((id, v) -> assertThat(settled.put(id, v)).as("reported twice").isNull());
      assertThat(settled)
          .containsOnlyKeys(TestLicences.id(late), TestLicences.id(early))
          .containsEntry(TestLicences.id(late), 700L)
          .containsEntry(TestLicences.id(early), 900L);
    }
  }

  /** Waits until {@code query} finds a session, and answers its pid. */
  private static int waitForSession(Statement st, String query) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (ResultSet rs = st.executeQuery(query)) {
        if (rs.next()) {
          return rs.getInt(1);
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no session found by " + query);
  }

  /** How many sessions wait for a lock that session {@code pid} holds. */
  private static int blockedBy(Statement st, int pid) throws Exception {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE "
                + pid
                + " = ANY(pg_blocking_pids(pid))")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
