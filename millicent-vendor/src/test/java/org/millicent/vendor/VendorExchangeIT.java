package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/** Renewal, split and merge through {@code POST /millicent/exchange}, and their retries. */
class VendorExchangeIT {
  private static final String EXCHANGE = "/millicent/exchange";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(
          VendorConfig.sampleBuilder().port(0).scripLifetime(Duration.ofDays(7)).build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();

  private static byte[] body(String op, List<Scrip> in, List<Long> amounts) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operation", op);
    m.put("scrip", in.stream().map(Scrip::token).toList());
    if (amounts != null) {
      m.put("amounts_millicents", amounts);
    }
    return JSON.writeValueAsBytes(m);
  }

  /** Sends a signed exchange and returns the issued scrip after checking the reply MAC. */
  @SuppressWarnings("UnusedVariable") // the body sent, kept beside the reply it produced
  private List<Scrip> exchange(Payment.Signed p, byte[] body, HttpResponse<byte[]> r)
      throws Exception {
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    Map<String, String> receipt = TestHttp.receipt(r);
    assertThat(receipt).containsEntry("price", "0").doesNotContainKey("change");
    Payer.verifySignedReply(
        alice.secret(),
        p.mac(),
        200,
        new byte[0],
        RequestDescriptor.digest(r.body()),
        TestHttp.b64(receipt.get("mac")));
    List<Scrip> out = new ArrayList<>();
    for (JsonNode t : JSON.readTree(r.body()).get("scrip")) {
      out.add(ScripCodec.fromToken(t.asText()));
    }
    return out;
  }

  @Test
  void renew_nearExpiry_givesSameValueWithANewExpiry() throws Exception {
    Scrip old = alice.scrip(800, Duration.ofMinutes(2));
    byte[] body = body("renew", List.of(old), null);
    Payment.Signed p = http.signed(old, alice.secret(), "POST", EXCHANGE, body);
    List<Scrip> out = exchange(p, body, http.pay(p, body));
    assertThat(out)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.valueMillicents()).isEqualTo(800);
              assertThat(s.customerId()).isEqualTo(alice.id());
              assertThat(s.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));
            });
    // The new piece spends; the old one is gone.
    assertThat(
            http.pay(
                    http.signed(
                        out.getFirst(), alice.secret(), "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http.pay(
                    http.signed(old, alice.secret(), "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .isEqualTo(402);
  }

  @Test
  void split_thenMerge_conservesValue() throws Exception {
    Scrip big = alice.scrip(1_000, Duration.ofHours(1));
    byte[] splitBody = body("split", List.of(big), List.of(100L, 200L, 700L));
    Payment.Signed sp = http.signed(big, alice.secret(), "POST", EXCHANGE, splitBody);
    List<Scrip> parts = exchange(sp, splitBody, http.pay(sp, splitBody));
    assertThat(parts).extracting(Scrip::valueMillicents).containsExactly(100L, 200L, 700L);

    byte[] mergeBody = body("merge", parts, null);
    Payment.Signed mp = http.signed(parts.getFirst(), alice.secret(), "POST", EXCHANGE, mergeBody);
    List<Scrip> merged = exchange(mp, mergeBody, http.pay(mp, mergeBody));
    assertThat(merged).singleElement().extracting(Scrip::valueMillicents).isEqualTo(1_000L);
  }

  @Test
  void retry_sameExchange_returnsTheSameScrip() throws Exception {
    Scrip s = alice.scrip(600, Duration.ofHours(1));
    byte[] body = body("split", List.of(s), List.of(300L, 300L));
    Payment.Signed p = http.signed(s, alice.secret(), "POST", EXCHANGE, body);
    List<Scrip> first = exchange(p, body, http.pay(p, body));
    List<Scrip> again = exchange(p, body, http.pay(p, body));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void merge_withAnotherCustomersScrip_isWrongCustomerAndConsumesNothing() throws Exception {
    Scrip mine = alice.scrip(100, Duration.ofHours(1));
    long bob = OwnCustomers.of(vendor.server()).newCustomerId();
    Scrip bobs =
        OwnCustomers.of(vendor.server())
            .mint(
                100, bob, Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    byte[] body = body("merge", List.of(mine, bobs), null);
    HttpResponse<byte[]> r =
        http.pay(http.signed(mine, alice.secret(), "POST", EXCHANGE, body), body);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("wrong-customer");
    assertThat(
            http.pay(
                    http.signed(mine, alice.secret(), "GET", "/pages/haiku.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void split_amountsNotSummingToTheValue_isMalformed() throws Exception {
    Scrip s = alice.scrip(600, Duration.ofHours(1));
    byte[] body = body("split", List.of(s), List.of(100L, 100L));
    HttpResponse<byte[]> r = http.pay(http.signed(s, alice.secret(), "POST", EXCHANGE, body), body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("malformed");
  }

  @Test
  void private_exchange_sealsBodyAndReply() throws Exception {
    Scrip s = alice.scrip(900, Duration.ofHours(1));
    byte[] plain = body("split", List.of(s), List.of(400L, 500L));
    byte[] sealed =
        Payer.sealRequestBody(alice.secret(), "venetia", alice.id(), plain, TestHttp.RANDOM);
    Payment.Private p =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("POST", EXCHANGE, sealed),
            TestHttp.RANDOM);
    HttpResponse<byte[]> r = http.pay(p, sealed);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Headers.SEALED_MEDIA_TYPE);
    JsonNode opened = JSON.readTree(Payer.openResponse(alice.secret(), p, 200, r.body()));
    assertThat(opened.get("scrip")).hasSize(2);
    assertThat(Payer.openChange(alice.secret(), p, TestHttp.b64(TestHttp.receipt(r).get("change"))))
        .isEmpty();
  }
}
