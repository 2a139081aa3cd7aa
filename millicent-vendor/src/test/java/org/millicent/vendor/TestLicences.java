package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The broker's side of a licence in the vendor ITs: issues one over the admin endpoint, mints
 * licensed scrip for a customer of the broker, pays with it and reads the received report.
 */
final class TestLicences {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BOB_TOKEN = "bob-token-0123456789abcdef";
  static final String ADMIN = "admin-token-0123456789abcdef";

  /** Broker bob, as the vendor's configuration names him. */
  static final BrokerConfig BOB =
      new BrokerConfig("bob", URI.create("http://127.0.0.1:8081"), BOB_TOKEN, 5, 500);

  private TestLicences() {}

  /** Bob's side of a licence: mints licensed scrip for his customer Dave. */
  record Licensed(
      String licenceId, int keyId, ScripMinter minter, long dave, CustomerSecret daveSecret) {
    Scrip mint(long value) {
      return minter.mint(
          value,
          dave,
          Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS),
          ScripProperties.NONE);
    }

    /** Pays for the haiku page with {@code scrip}, signed by Dave. */
    HttpResponse<byte[]> pay(TestHttp http, Scrip scrip) {
      return http.pay(
          http.signed(scrip, daveSecret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
    }
  }

  /** Issues bob a licence of one key id at the vendor behind {@code http}. */
  static Licensed licence(TestHttp http) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/admin/licences",
            JSON.writeValueAsBytes(Map.of("broker", "bob", "key_ids", 1)),
            "Authorization",
            "Bearer " + ADMIN);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    JsonNode lic = JSON.readTree(r.body());
    JsonNode key = lic.get("key_ids").get(0);
    MasterSecrets keys = new MasterSecrets();
    keys.put(
        key.get("key_id").asInt(),
        SecretBytes.copyOf(Base64.getUrlDecoder().decode(key.get("master_secret").asText())),
        KeyState.PRIMARY);
    int selector = lic.get("customer_selector").asInt();
    CustomerSecrets customers = new CustomerSecrets();
    customers.put(
        selector,
        SecretBytes.copyOf(
            Base64.getUrlDecoder().decode(lic.get("customer_master_secret").asText())));
    long dave = ((long) selector << 56) | 77;
    return new Licensed(
        lic.get("licence_id").asText(),
        key.get("key_id").asInt(),
        new ScripMinter("venetia", keys, new InMemorySerialAllocator()),
        dave,
        customers.derive("venetia", dave));
  }

  /** Revokes {@code licenceId} at the vendor behind {@code http}: the answer. */
  static HttpResponse<byte[]> revoke(TestHttp http, String licenceId) {
    return http.send(
        "DELETE",
        "/millicent/admin/licences/" + licenceId,
        new byte[0],
        "Authorization",
        "Bearer " + ADMIN);
  }

  /** Bob's received report, unparsed. */
  static HttpResponse<byte[]> report(TestHttp http) {
    return http.get("/millicent/broker/received", "Authorization", "Bearer " + BOB_TOKEN);
  }

  /** A received report: scrip ID (unsigned decimal) to value, and its settlement mark. */
  record Report(Map<String, Long> ids, long upto) {}

  /** Reads bob's received report, which must succeed. */
  static Report reported(TestHttp http) throws Exception {
    return parse(report(http));
  }

  /** Parses a received report answer, which must be a 200. */
  static Report parse(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    JsonNode root = JSON.readTree(r.body());
    Map<String, Long> out = new LinkedHashMap<>();
    root.get("ids")
        .forEach(id -> out.put(id.get("scrip_id").asText(), id.get("value_millicents").asLong()));
    return new Report(out, root.get("upto").asLong());
  }

  /** Marks bob's report settled up to {@code upto}. */
  static void settle(TestHttp http, long upto) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/broker/received/settled",
            JSON.writeValueAsBytes(Map.of("upto", upto)),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
  }

  /** The unsigned decimal ID of {@code s}, as reports write it. */
  static String id(Scrip s) {
    return Long.toUnsignedString(s.id().toLong());
  }
}
