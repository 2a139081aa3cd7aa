package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/** Buying a page of the sample catalogue in each variant, over real HTTP. */
class VendorPurchaseIT {
  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(
          VendorConfig.sampleBuilder().port(0).variants(EnumSet.allOf(Variant.class)).build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void index_isFreeAndListsThePricedPages() {
    HttpResponse<byte[]> r = http.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).contains("/pages/haiku.html").contains("0.1¢ (100 m¢)");
  }

  @Test
  void pricedPage_withoutPayment_is402WithOfferAndProblem() throws Exception {
    HttpResponse<byte[]> r = http.get("/pages/haiku.html");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Millicent v=2, vendor=venetia, price=100, currency=USD");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asText()).isEqualTo("payment-required");
    assertThat(body.get("price_millicents").asLong()).isEqualTo(100);
  }

  @Test
  void signed_payment_deliversThePageWithGenuineChange() {
    Scrip s = alice.scrip(1_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]);
    HttpResponse<byte[]> r = http.pay(p, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).contains("A haiku");
    Map<String, String> receipt = TestHttp.receipt(r);
    assertThat(receipt).containsEntry("variant", "signed").containsEntry("price", "100");
    Optional<Scrip> change =
        Payer.verifySignedReply(
            alice.secret(),
            p.mac(),
            200,
            TestHttp.b64(receipt.get("change")),
            RequestDescriptor.digest(r.body()),
            TestHttp.b64(receipt.get("mac")));
    assertThat(change)
        .hasValueSatisfying(
            c -> {
              assertThat(c.valueMillicents()).isEqualTo(900);
              assertThat(c.customerId()).isEqualTo(alice.id());
            });
  }

  @Test
  void clear_payment_deliversWithChangeInTheClear() {
    Scrip s =
        OwnCustomers.of(vendor.server())
            .mintBearer(
                600,
                alice.id(),
                Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    Payment.Clear p =
        Payer.clear(
            s,
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("GET", "/pages/weather.html", new byte[0]));
    HttpResponse<byte[]> r = http.pay(p, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> receipt = TestHttp.receipt(r);
    assertThat(receipt)
        .containsEntry("variant", "clear")
        .containsEntry("price", "500")
        .doesNotContainKey("mac");
    assertThat(ScripCodec.fromToken(receipt.get("change")).valueMillicents()).isEqualTo(100);
  }

  @Test
  void private_payment_sealsBodyAndChange() {
    Scrip s = alice.scrip(5_000);
    Payment.Private p =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("GET", "/pages/premium.html", new byte[0]),
            TestHttp.RANDOM);
    HttpResponse<byte[]> r = http.pay(p, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Headers.SEALED_MEDIA_TYPE);
    assertThat(r.headers().firstValue(Headers.SEALED_CONTENT_TYPE))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    byte[] page = Payer.openResponse(alice.secret(), p, 200, r.body());
    assertThat(new String(page, java.nio.charset.StandardCharsets.UTF_8))
        .contains("premium article");
    Map<String, String> receipt = TestHttp.receipt(r);
    assertThat(receipt).containsEntry("variant", "private").containsEntry("price", "5000");
    assertThat(Payer.openChange(alice.secret(), p, TestHttp.b64(receipt.get("change")))).isEmpty();
  }

  @Test
  void retry_sameSignedRequest_getsTheSameReceiptAndChangeNotSpent() {
    Scrip s = alice.scrip(1_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/pages/recipe.html", new byte[0]);
    HttpResponse<byte[]> first = http.pay(p, new byte[0]);
    HttpResponse<byte[]> again = http.pay(p, new byte[0]);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue(Headers.RECEIPT))
        .isEqualTo(first.headers().firstValue(Headers.RECEIPT));
    assertThat(TestHttp.receipt(again)).doesNotContainKey("change");
  }

  @Test
  void retry_samePrivateRequest_returnsTheSameChange() {
    Scrip s = alice.scrip(3_000);
    Payment.Private p =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("GET", "/pages/report.html", new byte[0]),
            TestHttp.RANDOM);
    HttpResponse<byte[]> first = http.pay(p, new byte[0]);
    HttpResponse<byte[]> again = http.pay(p, new byte[0]);
    assertThat(again.statusCode()).isEqualTo(200);
    Scrip c1 =
        Payer.openChange(alice.secret(), p, TestHttp.b64(TestHttp.receipt(first).get("change")))
            .orElseThrow();
    Scrip c2 =
        Payer.openChange(alice.secret(), p, TestHttp.b64(TestHttp.receipt(again).get("change")))
            .orElseThrow();
    assertThat(c2).isEqualTo(c1);
    assertThat(c1.valueMillicents()).isEqualTo(500);
  }

  @Test
  void spentScrip_inADifferentRequest_isRefusedAsSpent() throws Exception {
    Scrip s = alice.scrip(1_000);
    assertThat(
            http.pay(
                    http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> r =
        http.pay(
            http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("spent");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void changeFromOnePurchase_paysForTheNext() {
    Scrip s = alice.scrip(700); // 100 for the haiku, 600 change
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]);
    HttpResponse<byte[]> r = http.pay(p, new byte[0]);
    Scrip change = ScripCodec.fromToken(TestHttp.receipt(r).get("change"));
    HttpResponse<byte[]> next =
        http.pay(
            http.signed(change, alice.secret(), "GET", "/pages/weather.html", new byte[0]),
            new byte[0]);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(TestHttp.receipt(next)).containsEntry("price", "500");
    assertThat(ScripCodec.fromToken(TestHttp.receipt(next).get("change")).valueMillicents())
        .isEqualTo(100);
  }

  @Test
  void manifest_listsVendorPricesAndExchange() throws Exception {
    JsonNode m = JSON.readTree(http.get("/.well-known/millicent").body());
    assertThat(m.get("vendor").asText()).isEqualTo("venetia");
    assertThat(m.get("currency").asText()).isEqualTo("USD");
    assertThat(m.get("exchange").asText()).isEqualTo("/millicent/exchange");
    assertThat(m.get("resources").findValuesAsText("path")).contains("/", "/pages/premium.html");
  }

  @Test
  void metricsAndHealth_answer() {
    http.pay(
        http.signed(alice.scrip(200), alice.secret(), "GET", "/pages/haiku.html", new byte[0]),
        new byte[0]);
    assertThat(TestHttp.text(http.get("/health"))).contains("up");
    String metrics = TestHttp.text(http.get("/metrics"));
    assertThat(metrics)
        .contains("millicent_vendor_payments_total{variant=\"signed\"")
        .contains("millicent_vendor_revenue_millicents_total")
        .contains("millicent_vendor_spent_list_size")
        .contains("millicent_vendor_requests_seconds");
  }
}
