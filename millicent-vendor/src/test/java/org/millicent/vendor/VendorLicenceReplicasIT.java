package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Licences on vendor replicas sharing one PostgreSQL schema (docs/BROKER.md, "Licences on
 * replicas"): a licence issued at one replica is honoured at the other at once (a payment under an
 * unknown key makes a replica look for new licences), one revoked at the other is refused at the
 * first within it, and licences issued at both at once never overwrite each other's keys. Skips
 * when PostgreSQL is unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class VendorLicenceReplicasIT {
  /** Far above the refresh interval: how long a replica may take to see the other's change. */
  private static final long PATIENCE_NANOS = 30_000_000_000L;

  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;

  private static VendorConfig sharedConfig() {
    return VendorConfig.sampleBuilder()
        .port(0)
        .database(TestDatabases.freshSchemaUrl())
        .adminToken(TestLicences.ADMIN)
        .broker(TestLicences.BOB)
        .build();
  }

  @Test
  void licenceIssuedAtOne_isHonouredAtTheOther_andRevokedAtTheOther_isRefusedAtTheFirst()
      throws Exception {
    VendorConfig config = sharedConfig();
    try (VendorServer a = VendorServer.start(config, dirA);
        VendorServer b = VendorServer.start(config, dirB)) {
      TestHttp ha = new TestHttp(a.url());
      TestHttp hb = new TestHttp(b.url());
      TestLicences.Licensed bob = TestLicences.licence(ha);
      assertThat(code(bob.pay(ha, bob.mint(500)))).isEqualTo("ok");

      // B has most likely not refreshed since (every 2 s), but a payment under a key it does not
      // know makes it look for new licences: accepted at once, not refused as unknown-key.
      Scrip atB = bob.mint(500);
      assertThat(code(bob.pay(hb, atB))).isEqualTo("ok");

      HttpResponse<byte[]> revoked = TestLicences.revoke(hb, bob.licenceId());
      assertThat(revoked.statusCode()).as(TestHttp.text(revoked)).isEqualTo(200);
      assertThat(code(bob.pay(hb, bob.mint(500)))).isEqualTo("unknown-key");
      // A refuses it within the refresh interval (fresh scrip each try: any accepted is spent).
      assertThat(payUntil(() -> bob.pay(ha, bob.mint(500)), "unknown-key", "ok"))
          .isEqualTo("unknown-key");

      // Both spends were recorded for bob's settlement, at whichever replica reports.
      assertThat(TestLicences.reported(hb).ids()).containsKey(TestLicences.id(atB));
    }
  }

  @Test
  void licencesIssuedAtBothReplicas_keepEachOthersKeys() throws Exception {
    VendorConfig config = sharedConfig();
    TestLicences.Licensed first;
    TestLicences.Licensed second;
    try (VendorServer a = VendorServer.start(config, dirA);
        VendorServer b = VendorServer.start(config, dirB)) {
      // B issues right after A, most likely before its refresh has seen A's licence: it must not
      // take A's key id or selector, nor drop A's secrets.
      first = TestLicences.licence(new TestHttp(a.url()));
      second = TestLicences.licence(new TestHttp(b.url()));
      assertThat(second.dave() >>> 56).isNotEqualTo(first.dave() >>> 56);
      assertThat(second.keyId()).isNotEqualTo(first.keyId());
    }
    // A replica started now loads only what the database holds: both licences' secrets.
    try (VendorServer c = VendorServer.start(config, dirC)) {
      TestHttp hc = new TestHttp(c.url());
      assertThat(code(first.pay(hc, first.mint(500)))).isEqualTo("ok");
      assertThat(code(second.pay(hc, second.mint(500)))).isEqualTo("ok");
    }
  }

  /** "ok" for a 200, else the problem code. */
  private static String code(HttpResponse<byte[]> r) throws Exception {
    if (r.statusCode() == 200) {
      return "ok";
    }
    return TestLicences.JSON.readTree(r.body()).get("code").asText();
  }

  /**
   * Pays until the answer is {@code wanted} or the patience runs out, failing on any answer but
   * {@code wanted} and {@code meanwhile}; the last answer's code.
   */
  private static String payUntil(
      Supplier<HttpResponse<byte[]>> pay, String wanted, String meanwhile) throws Exception {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    String last = code(pay.get());
    while (!last.equals(wanted) && System.nanoTime() < deadline) {
      assertThat(last).isEqualTo(meanwhile);
      Thread.sleep(100);
      last = code(pay.get());
    }
    return last;
  }
}
