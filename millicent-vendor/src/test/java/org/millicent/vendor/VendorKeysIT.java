package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.KeyState;
import org.millicent.protocol.Payment;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * Rotating and retiring a running vendor's master secrets through its admin endpoints
 * (docs/VENDOR-KEYS.md), and the same on a stopped vendor's data folder: scrip minted under the old
 * key keeps paying and renewing until it is retired, new scrip and change carry the new key id, and
 * scrip under a retired key is refused as {@code unknown-key}.
 */
class VendorKeysIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Bearer " + TestLicences.ADMIN;
  private static final String EXCHANGE = "/millicent/exchange";

  @TempDir Path dir;

  private static VendorConfig config() {
    return VendorConfig.sampleBuilder()
        .port(0)
        .scripLifetime(Duration.ofHours(2))
        .adminToken(TestLicences.ADMIN)
        .broker(TestLicences.BOB)
        .build();
  }

  private static Scrip mint(VendorServer v, long value, long customer) {
    return OwnCustomers.of(v)
        .mint(
            value,
            customer,
            Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
  }

  private static JsonNode ok(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String code(HttpResponse<byte[]> r) throws Exception {
    return r.statusCode() == 200 ? "ok" : JSON.readTree(r.body()).path("code").asText();
  }

  private static HttpResponse<byte[]> retire(TestHttp http, String id, String body) {
    return http.send(
        "POST",
        "/millicent/admin/keys/" + id + "/retire",
        body.getBytes(StandardCharsets.UTF_8),
        "Authorization",
        AUTH);
  }

  private static HttpResponse<byte[]> payHaiku(TestHttp http, Scrip s, CustomerSecret secret) {
    return http.pay(http.signed(s, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
  }

  private static HttpResponse<byte[]> renew(TestHttp http, Scrip s, CustomerSecret secret)
      throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operation", "renew");
    m.put("scrip", List.of(s.token()));
    byte[] body = JSON.writeValueAsBytes(m);
    Payment.Signed p = http.signed(s, secret, "POST", EXCHANGE, body);
    return http.pay(p, body);
  }

  private static Map<Integer, JsonNode> keysById(JsonNode list) {
    Map<Integer, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode k : list.get("keys")) {
      out.put(k.get("key_id").asInt(), k);
    }
    return out;
  }

  @Test
  void rotateWhileRunning_oldScripPaysAndRenews_thenRetiredOldScripIsRefusedAsUnknownKey()
      throws Exception {
    try (VendorServer v = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(v.url());
      long alice = OwnCustomers.of(v).newCustomerId();
      CustomerSecret secret = OwnCustomers.of(v).customerSecret(alice);
      List<Scrip> old = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        old.add(mint(v, 1_000, alice));
      }
      assertThat(old).allSatisfy(s -> assertThat(s.id().keyId()).isZero());
      JsonNode before = ok(http.get("/millicent/admin/keys", "Authorization", AUTH));
      assertThat(keysById(before)).containsOnlyKeys(0);
      assertThat(keysById(before).get(0).get("state").asText()).isEqualTo("primary");

      Instant rotatedAt = Instant.now();
      JsonNode rotation =
          ok(http.send("POST", "/millicent/admin/keys/rotate", new byte[0], "Authorization", AUTH));

      assertThat(rotation.at("/primary/key_id").asInt()).isEqualTo(1);
      assertThat(rotation.at("/primary/state").asText()).isEqualTo("primary");
      assertThat(rotation.at("/previous/key_id").asInt()).isZero();
      assertThat(rotation.at("/previous/state").asText()).isEqualTo("active");
      Instant expiresBy = Instant.parse(rotation.at("/previous/expires_by").asText());
      assertThat(expiresBy)
          .isAfterOrEqualTo(
              rotatedAt
                  .plus(Duration.ofHours(2))
                  .plus(VendorKeys.EXPIRY_MARGIN)
                  .truncatedTo(ChronoUnit.SECONDS));
      // New scrip is minted under the new key at once.
      assertThat(mint(v, 500, alice).id().keyId()).isEqualTo(1);

      // Old scrip still pays; its change is minted under the new key.
      HttpResponse<byte[]> paid = payHaiku(http, old.get(0), secret);
      assertThat(paid.statusCode()).as(TestHttp.text(paid)).isEqualTo(200);
      Scrip change = ScripCodec.fromToken(TestHttp.receipt(paid).get("change"));
      assertThat(change.id().keyId()).isEqualTo(1);
      assertThat(change.valueMillicents()).isEqualTo(900);
      // ... and renews into scrip under the new key.
      JsonNode renewed = ok(renew(http, old.get(1), secret));
      Scrip fresh = ScripCodec.fromToken(renewed.get("scrip").get(0).asText());
      assertThat(fresh.id().keyId()).isEqualTo(1);
      assertThat(fresh.valueMillicents()).isEqualTo(1_000);

      // The primary is never retired; the old key not before its scrip expired, unless forced.
      HttpResponse<byte[]> primary = retire(http, "1", "");
      assertThat(primary.statusCode()).isEqualTo(409);
      assertThat(code(primary)).isEqualTo("conflict");
      assertThat(TestHttp.text(primary)).contains("rotate first");
      HttpResponse<byte[]> early = retire(http, "0", "");
      assertThat(code(early)).isEqualTo("conflict");
      assertThat(TestHttp.text(early)).contains("may be valid until " + expiresBy);
      assertThat(code(payHaiku(http, old.get(2), secret))).as("nothing retired").isEqualTo("ok");

      JsonNode retired = ok(retire(http, "0", "{\"force\": true}"));
      assertThat(retired.get("state").asText()).isEqualTo("retired");
      assertThat(retired.get("retired_at").isTextual()).isTrue();

      assertThat(code(payHaiku(http, old.get(3), secret))).isEqualTo("unknown-key");
      assertThat(code(renew(http, old.get(3), secret))).isEqualTo("unknown-key");
      // Scrip under the new key is untouched.
      assertThat(code(payHaiku(http, change, secret))).isEqualTo("ok");
      assertThat(code(payHaiku(http, fresh, secret))).isEqualTo("ok");

      Map<Integer, JsonNode> after =
          keysById(ok(http.get("/millicent/admin/keys", "Authorization", AUTH)));
      assertThat(after.get(0).get("state").asText()).isEqualTo("retired");
      assertThat(after.get(0).get("spends_recorded").asLong()).isEqualTo(3);
      assertThat(after.get(1).get("state").asText()).isEqualTo("primary");
      assertThat(after.get(1).get("spends_recorded").asLong()).isEqualTo(2);
      assertThat(after.get(1).get("serials_reserved_to").asLong()).isPositive();
    }
    // The rotation is durable: after a restart the new key mints and the old stays retired.
    try (VendorServer v = VendorServer.start(config(), dir)) {
      assertThat(mint(v, 100, OwnCustomers.of(v).newCustomerId()).id().keyId()).isEqualTo(1);
      assertThat(v.state().masters.validates(0)).isFalse();
    }
  }

  @Test
  void adminKeyEndpoints_refuseBadInputAndOthersWithStableCodes() throws Exception {
    try (VendorServer v = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(v.url());
      assertThat(code(http.get("/millicent/admin/keys"))).isEqualTo("unauthorized");
      assertThat(
              code(
                  http.send(
                      "POST",
                      "/millicent/admin/keys/rotate",
                      new byte[0],
                      "Authorization",
                      "Bearer not-the-token")))
          .isEqualTo("unauthorized");
      assertThat(code(retire(http, "x", ""))).isEqualTo("bad-request");
      assertThat(code(retire(http, "256", ""))).isEqualTo("bad-request");
      assertThat(code(retire(http, "7", ""))).isEqualTo("not-found");
      assertThat(code(retire(http, "0", "{\"force\": \"yes\"}"))).isEqualTo("bad-request");
      assertThat(code(retire(http, "0", "not json"))).isEqualTo("bad-request");

      // A licence's key is retired by revoking the licence, not here.
      TestLicences.Licensed bob = TestLicences.licence(http);
      HttpResponse<byte[]> licensed = retire(http, Integer.toString(bob.keyId()), "");
      assertThat(code(licensed)).isEqualTo("conflict");
      assertThat(TestHttp.text(licensed)).contains(bob.licenceId());
      JsonNode listed =
          keysById(ok(http.get("/millicent/admin/keys", "Authorization", AUTH))).get(bob.keyId());
      assertThat(listed.get("licence_id").asText()).isEqualTo(bob.licenceId());
      assertThat(listed.get("broker").asText()).isEqualTo("bob");
      assertThat(listed.get("state").asText()).isEqualTo("active");
      // Rotation takes the lowest unused own key id, never one of the licensed range.
      JsonNode rotation =
          ok(http.send("POST", "/millicent/admin/keys/rotate", new byte[0], "Authorization", AUTH));
      assertThat(rotation.at("/primary/key_id").asInt()).isEqualTo(1);
      // Retiring twice is answered with the key as it is.
      ok(retire(http, "0", "{\"force\": true}"));
      assertThat(ok(retire(http, "0", "")).get("state").asText()).isEqualTo("retired");
    }
  }

  @Test
  void offline_onAStoppedVendorsFolder_rotatesAndRetires_andIsRefusedWhileItRuns()
      throws Exception {
    Scrip old;
    long alice;
    try (VendorServer v = VendorServer.start(config(), dir)) {
      alice = OwnCustomers.of(v).newCustomerId();
      old = mint(v, 1_000, alice);
      assertThatThrownBy(() -> VendorKeys.offline(config(), dir))
          .isInstanceOf(VendorKeys.Refused.class)
          .hasMessageContaining("a vendor is running on")
          .hasMessageContaining("--url")
          .extracting(e -> ((VendorKeys.Refused) e).code().code())
          .isEqualTo("conflict");
    }
    try (VendorKeys keys = VendorKeys.offline(config(), dir)) {
      VendorKeys.Rotation r = keys.rotate();
      assertThat(r.primary().keyId()).isEqualTo(1);
      assertThat(r.previous().state()).isEqualTo(KeyState.ACTIVE);
      assertThatThrownBy(() -> keys.retire(0, false))
          .isInstanceOf(VendorKeys.Refused.class)
          .hasMessageContaining("may be valid until");
      // The vendor cannot start while the folder is held.
      assertThatThrownBy(() -> VendorServer.start(config(), dir))
          .hasMessageContaining("already running");
    }
    try (VendorServer v = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(v.url());
      assertThat(mint(v, 100, alice).id().keyId()).isEqualTo(1);
      assertThat(code(payHaiku(http, old, OwnCustomers.of(v).customerSecret(alice))))
          .isEqualTo("ok");
    }
    // Once expires_by has passed (moved back here instead of waiting two hours), retiring needs no
    // force: no scrip under the key can still be valid.
    try (Database db = Database.open(new DatabaseConfig.Sqlite(dir.resolve("vendor.db")))) {
      db.withHandle(
          h -> h.execute("UPDATE vendor_master_secrets SET expires_by = 1 WHERE key_id = 0"));
    }
    try (VendorKeys keys = VendorKeys.offline(config(), dir)) {
      assertThat(keys.retire(0, false).state()).isEqualTo(KeyState.RETIRED);
      assertThat(keys.list())
          .extracting(VendorKeys.Key::keyId, VendorKeys.Key::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(0, KeyState.RETIRED),
              org.assertj.core.groups.Tuple.tuple(1, KeyState.PRIMARY));
    }
  }

  @Test
  void offline_withoutAVendorDatabase_isRefusedAndCreatesNothing() {
    assertThatThrownBy(() -> VendorKeys.offline(config(), dir))
        .isInstanceOf(VendorKeys.Refused.class)
        .hasMessageContaining("no vendor database")
        .extracting(e -> ((VendorKeys.Refused) e).code().code())
        .isEqualTo("not-found");
    assertThat(dir.resolve("vendor.db")).doesNotExist();
    assertThatThrownBy(() -> VendorKeys.offline(config(), dir.resolve("absent")))
        .isInstanceOf(VendorKeys.Refused.class)
        .hasMessageContaining("no vendor data folder");
  }

  @Test
  void aVendorRestartedWithAShorterLifetime_rotatesWithTheLongestOneItRanWith() throws Exception {
    VendorServer.start(config().toBuilder().scripLifetime(Duration.ofDays(30)).build(), dir)
        .close();
    try (VendorServer v = VendorServer.start(config(), dir)) {
      TestHttp http = new TestHttp(v.url());
      JsonNode rotation =
          ok(http.send("POST", "/millicent/admin/keys/rotate", new byte[0], "Authorization", AUTH));
      Instant expiresBy = Instant.parse(rotation.at("/previous/expires_by").asText());
      assertThat(expiresBy)
          .as("scrip minted before the restart lives 30 days")
          .isAfter(Instant.now().plus(Duration.ofDays(29)));
    }
  }
}
