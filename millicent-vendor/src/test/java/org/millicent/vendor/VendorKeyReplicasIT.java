package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Key rotation on vendor replicas sharing one PostgreSQL schema (docs/VENDOR-KEYS.md, "Replicas"):
 * a rotation at one replica makes the other mint under the new key within the refresh interval,
 * scrip under the new key pays at the other at once (an unknown key makes a replica reload), and a
 * key retired at one is refused at the other within the interval. Skips when PostgreSQL is
 * unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class VendorKeyReplicasIT {
  /** Far above the refresh interval: how long a replica may take to see the other's change. */
  private static final long PATIENCE_NANOS = 30_000_000_000L;

  private static final String AUTH = "Bearer " + TestLicences.ADMIN;

  @TempDir Path dirA;
  @TempDir Path dirB;

  private static VendorConfig sharedConfig() {
    return VendorConfig.sampleBuilder()
        .port(0)
        .database(TestDatabases.freshSchemaUrl())
        .adminToken(TestLicences.ADMIN)
        .build();
  }

  private static Scrip mint(VendorServer v, long customer) {
    return OwnCustomers.of(v)
        .mint(
            1_000,
            customer,
            Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
  }

  private static String pay(TestHttp http, Scrip s, CustomerSecret secret) throws Exception {
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
    return r.statusCode() == 200
        ? "ok"
        : TestLicences.JSON.readTree(r.body()).path("code").asText();
  }

  @Test
  void rotationAtOneReplica_reachesTheOther_andARetirementThereIsRefusedHere() throws Exception {
    VendorConfig config = sharedConfig();
    try (VendorServer a = VendorServer.start(config, dirA);
        VendorServer b = VendorServer.start(config, dirB)) {
      TestHttp ha = new TestHttp(a.url());
      TestHttp hb = new TestHttp(b.url());
      long alice = OwnCustomers.of(a).newCustomerId();
      CustomerSecret secret = OwnCustomers.of(a).customerSecret(alice);
      Scrip oldFromB = mint(b, alice);
      java.util.ArrayDeque<Scrip> oldFromA = new java.util.ArrayDeque<>();
      for (int i = 0; i < 400; i++) {
        oldFromA.add(mint(a, alice)); // key 0: one per try below, as an accepted one is spent
      }

      HttpResponse<byte[]> rotated =
          ha.send("POST", "/millicent/admin/keys/rotate", new byte[0], "Authorization", AUTH);
      assertThat(rotated.statusCode()).as(TestHttp.text(rotated)).isEqualTo(200);
      Scrip fresh = mint(a, alice);
      assertThat(fresh.id().keyId()).isEqualTo(1);

      // B most likely has not refreshed yet; scrip under a key it does not know makes it look.
      assertThat(pay(hb, fresh, secret)).isEqualTo("ok");
      // B mints under the new key within the refresh interval.
      long deadline = System.nanoTime() + PATIENCE_NANOS;
      int keyAtB = mint(b, alice).id().keyId();
      while (keyAtB != 1 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        keyAtB = mint(b, alice).id().keyId();
      }
      assertThat(keyAtB).isEqualTo(1);
      // Old scrip from either replica still pays at either.
      assertThat(pay(ha, oldFromB, secret)).isEqualTo("ok");

      HttpResponse<byte[]> retired =
          hb.send(
              "POST",
              "/millicent/admin/keys/0/retire",
              "{\"force\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "Authorization",
              AUTH);
      assertThat(retired.statusCode()).as(TestHttp.text(retired)).isEqualTo(200);
      // A refuses key-0 scrip within the refresh interval (fresh scrip each try: an accepted one
      // is spent).
      deadline = System.nanoTime() + PATIENCE_NANOS;
      String atA = pay(ha, oldFromA.pop(), secret);
      while (!atA.equals("unknown-key") && System.nanoTime() < deadline) {
        assertThat(atA).isEqualTo("ok");
        Thread.sleep(50);
        atA = pay(ha, oldFromA.pop(), secret);
      }
      assertThat(atA).isEqualTo("unknown-key");
      assertThat(pay(hb, oldFromA.pop(), secret)).isEqualTo("unknown-key");
      assertThat(pay(ha, mint(a, alice), secret)).isEqualTo("ok");
    }
  }
}
