package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripProperties;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/** Every rejection code over real HTTP, and that a rejected payment leaves the scrip spendable. */
class VendorRejectionsIT {
  private static final String PAGE = "/pages/weather.html"; // 500 millicents
  private static final String CHEAP = "/pages/haiku.html"; // 100 millicents
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(VendorConfig.sampleBuilder().port(0).build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
  }

  private HttpResponse<byte[]> paySigned(Scrip s, CustomerSecret with, String target) {
    return http.pay(http.signed(s, with, "GET", target, new byte[0]), new byte[0]);
  }

  private static JsonNode problem(HttpResponse<byte[]> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as("status of %s", code).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("type").asText()).isEqualTo("https://millicent.dev/problems/" + code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("title").asText()).isNotBlank();
    if (status == 402) {
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Millicent v=2, vendor=venetia"));
    }
    return body;
  }

  private void stillSpendable(Scrip s) {
    assertThat(paySigned(s, alice.secret(), CHEAP).statusCode()).isEqualTo(200);
  }

  @Test
  void insufficient_valueBelowPrice_is402AndTheScripStaysSpendable() throws Exception {
    Scrip s = alice.scrip(300);
    JsonNode body = problem(paySigned(s, alice.secret(), PAGE), 402, "insufficient");
    assertThat(body.get("detail").asText()).contains("500").contains("300");
    stillSpendable(s);
  }

  @Test
  void forged_alteredValue_is402AndNothingIsConsumed() throws Exception {
    Scrip real = alice.scrip(100);
    ScripBody b = real.body();
    Scrip forged =
        new Scrip(
            new ScripBody(
                b.vendor(), 100_000, b.id(), b.customerId(), b.expiresAt(), b.properties()),
            real.certificate());
    problem(paySigned(forged, alice.secret(), PAGE), 402, "forged");
    stillSpendable(real);
  }

  @Test
  void wrongCustomer_macUnderAnotherCustomersSecret_is402() throws Exception {
    Scrip s = alice.scrip(1_000);
    CustomerSecret mallory =
        OwnCustomers.of(vendor.server())
            .customerSecret(OwnCustomers.of(vendor.server()).newCustomerId());
    problem(paySigned(s, mallory, PAGE), 402, "wrong-customer");
    stillSpendable(s);
  }

  @Test
  void expired_scripPastItsExpiry_is402() throws Exception {
    Scrip s =
        OwnCustomers.of(vendor.server())
            .mint(1_000, alice.id(), Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
    problem(paySigned(s, alice.secret(), PAGE), 402, "expired");
  }

  @Test
  void wrongVendor_scripOfAnotherVendor_is402() throws Exception {
    ScripMinter other =
        new ScripMinter(
            "othervendor",
            MasterSecrets.generate(0, new SecureRandom()),
            new InMemorySerialAllocator());
    Scrip s = other.mint(1_000, alice.id(), inAnHour(), ScripProperties.NONE);
    problem(paySigned(s, alice.secret(), PAGE), 402, "wrong-vendor");
  }

  @Test
  void unknownKey_scripUnderAKeyIdTheVendorDoesNotHave_is402() throws Exception {
    MasterSecrets stranger = new MasterSecrets();
    stranger.put(9, SecretBytes.random(32, new SecureRandom()), KeyState.PRIMARY);
    Scrip s =
        new ScripMinter("venetia", stranger, new InMemorySerialAllocator())
            .mint(1_000, alice.id(), inAnHour(), ScripProperties.NONE);
    problem(paySigned(s, alice.secret(), PAGE), 402, "unknown-key");
  }

  @Test
  void spent_secondDifferentRequest_is402() throws Exception {
    Scrip s = alice.scrip(1_000);
    stillSpendable(s);
    problem(paySigned(s, alice.secret(), PAGE), 402, "spent");
  }

  @Test
  void malformed_headerThatIsNotAPayment_is400() throws Exception {
    HttpResponse<byte[]> r =
        http.get(PAGE, "Authorization", "Millicent v=2, variant=signed, scrip=@@@, nonce=x, mac=y");
    problem(r, 400, "malformed");
  }

  @Test
  void malformed_variantTheVendorDoesNotAccept_is400AndConsumesNothing() throws Exception {
    Scrip s = alice.scrip(1_000);
    var clear =
        Payer.clear(s, Nonce.random(TestHttp.RANDOM), http.descriptor("GET", PAGE, new byte[0]));
    JsonNode body = problem(http.pay(clear, new byte[0]), 400, "malformed");
    assertThat(body.get("detail").asText()).contains("clear");
    stillSpendable(s);
  }

  @Test
  void paymentRequired_noAuthorization_is402WithOffer() throws Exception {
    JsonNode body = problem(http.get(PAGE), 402, "payment-required");
    assertThat(body.get("price_millicents").asLong()).isEqualTo(500);
    assertThat(body.get("variants").toString()).contains("signed");
  }

  @Test
  void notFound_pathOutsideTheCatalogue_is404() throws Exception {
    problem(http.get("/nothing/here"), 404, "not-found");
  }

  @Test
  void badRequest_exchangeBodyNotJson_is400AndConsumesNothing() throws Exception {
    Scrip s = alice.scrip(1_000);
    byte[] body = "this is not json".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "POST", "/millicent/exchange", body), body);
    problem(r, 400, "bad-request");
    stillSpendable(s);
  }

  @Test
  void unauthorized_brokerEndpointWithoutToken_is401() throws Exception {
    problem(http.get("/millicent/broker/account"), 401, "unauthorized");
    problem(
        http.get("/millicent/broker/account", "Authorization", "Bearer not-a-known-token-at-all"),
        401,
        "unauthorized");
  }

  @Test
  void rejections_areCountedByCodeInTheMetrics() {
    http.get("/nothing/here");
    assertThat(TestHttp.text(http.get("/metrics")))
        .containsPattern(
            "millicent_vendor_rejections_total\\{code=\"not-found\",vendor=\"venetia\"\\} [1-9]");
  }
}
