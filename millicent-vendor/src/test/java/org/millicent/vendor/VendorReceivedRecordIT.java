package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * A licensed spend whose received record fails after the spend committed (docs/BROKER.md,
 * "Settlement"): the customer still gets the page and the change, and the record is repaired from
 * the spent list before the next report, also after a restart. The failure is a real one: a trigger
 * in the vendor's SQLite file makes every insert into the received table fail.
 */
class VendorReceivedRecordIT {
  @TempDir Path dir;

  private VendorConfig config() {
    return VendorConfig.sampleBuilder()
        .port(0)
        .adminToken(TestLicences.ADMIN)
        .broker(TestLicences.BOB)
        .build();
  }

  private void receivedRecordsFail(boolean fail) {
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir, VendorServer.DATABASE_FILE))) {
      db.withHandle(
          h ->
              h.execute(
                  fail
                      ? "CREATE TRIGGER received_fails BEFORE INSERT ON gateway_received"
                          + " BEGIN SELECT RAISE(ABORT, 'simulated disk trouble'); END"
                      : "DROP TRIGGER received_fails"));
    }
  }

  private static Map<String, Long> reported(TestHttp http) throws Exception {
    return TestLicences.reported(http).ids();
  }

  @Test
  void failedRecord_stillDelivers_andIsRecordedFromTheSpentListBeforeTheReport() throws Exception {
    try (VendorServer vendor = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(vendor.url());
      TestLicences.Licensed bob = TestLicences.licence(http);
      Scrip first = bob.mint(700);
      assertThat(bob.pay(http, first).statusCode()).isEqualTo(200);

      receivedRecordsFail(true);
      Scrip second = bob.mint(900);
      HttpResponse<byte[]> paid = bob.pay(http, second);
      assertThat(paid.statusCode()).as(TestHttp.text(paid)).isEqualTo(200);
      assertThat(TestHttp.text(paid)).contains("haiku");
      long price = Long.parseLong(TestHttp.receipt(paid).get("price"));
      assertThat(ScripCodec.fromToken(TestHttp.receipt(paid).get("change")).valueMillicents())
          .isEqualTo(900 - price);

      // While the table still fails, the report is refused rather than served without it.
      HttpResponse<byte[]> refused = TestLicences.report(http);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(TestLicences.JSON.readTree(refused.body()).get("code").asText())
          .isEqualTo("storage-unavailable");

      receivedRecordsFail(false);
      assertThat(reported(http))
          .containsEntry(TestLicences.id(first), 700L)
          .containsEntry(TestLicences.id(second), 900L);
      assertThat(reported(http)).hasSize(2);
    }
  }

  @Test
  void recordLostInACrash_isRecordedAfterTheRestart() throws Exception {
    TestLicences.Licensed bob;
    Scrip lost;
    try (VendorServer vendor = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(vendor.url());
      bob = TestLicences.licence(http);
      receivedRecordsFail(true);
      lost = bob.mint(1_200);
      assertThat(bob.pay(http, lost).statusCode()).isEqualTo(200);
    } // the vendor stops knowing only in memory that a record is missing
    receivedRecordsFail(false);
    try (VendorServer vendor = VendorServer.start(config(), dir)) {
      assertThat(reported(new TestHttp(vendor.url()))).containsOnlyKeys(TestLicences.id(lost));
      assertThat(reported(new TestHttp(vendor.url()))).containsEntry(TestLicences.id(lost), 1_200L);
    }
  }
}
