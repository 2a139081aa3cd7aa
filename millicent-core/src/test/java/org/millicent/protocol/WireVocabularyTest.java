package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.testing.SeededRandom.check;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.keys.CustomerSecret;
import org.millicent.testing.SeededRandom;

/**
 * The offer, receipt and account-request headers and the shared header vocabulary
 * (docs/PROTOCOL.md, "HTTP binding"; docs/HTTP-API.md, "Offer", "Paying", "Account requests"):
 * round trips over seeded cases, and every hostile input is {@code malformed}.
 */
class WireVocabularyTest {
  private static final RequestDescriptor GET =
      RequestDescriptor.of(
          Authority.of("https", "bob.example", -1), "GET", "/broker/accounts/7", new byte[0]);
  private static final CustomerSecret SECRET = CustomerSecret.of(new byte[32]);
  private static final Nonce NONCE = Nonce.of(new byte[16]);

  static LongStream seeds() {
    return SeededRandom.seeds(300);
  }

  // ------------------------------------------------------------------ isMillicent

  @Test
  void isMillicent_readsTheSchemeInAnyCase_followedBySpaceOrEnd() {
    assertThat(AuthParams.isMillicent("Millicent v=2")).isTrue();
    assertThat(AuthParams.isMillicent("millicent")).isTrue();
    assertThat(AuthParams.isMillicent("  MILLICENT v=2")).isTrue();
    assertThat(AuthParams.isMillicent("Millicents v=2")).isFalse();
    assertThat(AuthParams.isMillicent("Bearer abc")).isFalse();
    assertThat(AuthParams.isMillicent("Milli")).isFalse();
    assertThat(AuthParams.isMillicent("")).isFalse();
    assertThat(AuthParams.isMillicent(null)).isFalse();
  }

  // ------------------------------------------------------------------ base64url parameters

  @Test
  void requireBytes_missingBadOrOversize_isMalformedNamingTheParameter() {
    assertThatThrownBy(() -> AuthParams.requireBytes(AuthParams.parse("Millicent"), "mac", 16))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("mac");
    assertThatThrownBy(
            () -> AuthParams.requireBytes(AuthParams.parse("Millicent mac=\"a+b/\""), "mac", 16))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("mac is not base64url");
    assertThatThrownBy(
            () -> AuthParams.requireBytes(AuthParams.parse("Millicent mac=AAAAAAAAAAAA"), "mac", 4))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("longer than 4 bytes");
    assertThat(AuthParams.requireBytes(AuthParams.parse("Millicent mac=AQID"), "mac", 3))
        .containsExactly(1, 2, 3);
    assertThat(AuthParams.optionalBytes(AuthParams.parse("Millicent"), "mac", 3)).isEmpty();
  }

  // ------------------------------------------------------------------ offer

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void offer_parseOfFormat_isTheSameOffer(long seed) {
    SeededRandom r = new SeededRandom(seed);
    Set<Variant> variants = EnumSet.noneOf(Variant.class);
    for (Variant v : Variant.values()) {
      if (r.oneIn(2)) {
        variants.add(v);
      }
    }
    if (variants.isEmpty()) {
      variants.add(Variant.SIGNED); // none named means signed
    }
    Optional<List<URI>> brokers = Optional.empty();
    if (!r.oneIn(3)) {
      List<URI> urls = new java.util.ArrayList<>();
      for (int i = r.length(0, 3); i > 0; i--) {
        urls.add(URI.create("https://" + r.string("abcxyz", 1, 8) + ".example:" + (i + 8000)));
      }
      brokers = Optional.of(urls);
    }
    Offer o =
        new Offer(
            r.string("abcdefghij.-_:", 1, 20),
            r.longBetween(0, Long.MAX_VALUE),
            r.oneOf("USD", "EUR", "a currency"),
            variants,
            brokers);
    check(seed, o, () -> assertThat(Offer.parse(o.format())).isEqualTo(o));
  }

  @Test
  void offer_defaultsAndNormalisation() {
    Offer o = Offer.parse("Millicent v=2, vendor=v, price=1, brokers=\"https://b.example/// \"");

    assertThat(o.variants()).containsExactly(Variant.SIGNED);
    assertThat(o.currency()).isEqualTo("USD");
    assertThat(o.brokerList()).containsExactly(URI.create("https://b.example"));
    assertThat(Offer.parse("Millicent v=2, vendor=v, price=1").brokers()).isEmpty();
    assertThat(Offer.parse("Millicent v=2, vendor=v, price=1, brokers=\"\"").brokers())
        .hasValue(List.of());
    assertThat(
            Offer.parse("Millicent v=2, vendor=v, price=1, variants=\"SIGNED ecash\"").variants())
        .containsExactly(Variant.SIGNED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Millicent v=2, vendor=v",
        "Millicent v=2, price=1",
        "Millicent vendor=v, price=1",
        "Millicent v=1, vendor=v, price=1",
        "Millicent v=2, vendor=v, price=-1",
        "Millicent v=2, vendor=v, price=1e3",
        "Millicent v=2, vendor=v, price=99999999999999999999",
        "Millicent v=2, vendor=v, vendor=w, price=1",
        "Millicent v=2, vendor=\"\", price=1",
        "Millicent v=2, vendor=v, price=1, brokers=\"ftp://b.example\"",
        "Millicent v=2, vendor=v, price=1, brokers=\"/relative\"",
        "Bearer v=2, vendor=v, price=1",
      })
  void offer_hostile_isMalformed(String header) {
    assertThatThrownBy(() -> Offer.parse(header)).isInstanceOf(MalformedException.class);
  }

  @Test
  void offer_oversize_isMalformed() {
    String big = "Millicent v=2, vendor=v, price=1, x=\"" + "a".repeat(AuthParams.MAX_LENGTH) + '"';
    assertThatThrownBy(() -> Offer.parse(big)).isInstanceOf(MalformedException.class);
  }

  // ------------------------------------------------------------------ receipt

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void receipt_parseOfFormat_isTheSameReceipt(long seed) {
    SeededRandom r = new SeededRandom(seed);
    Receipt receipt =
        new Receipt(
            r.oneOf(Variant.values()),
            r.longBetween(0, Long.MAX_VALUE),
            r.bytes(0, 150),
            r.bytes(0, 32));
    check(
        seed,
        receipt,
        () -> {
          Receipt back = Receipt.parse(receipt.format());
          assertThat(back.variant()).isEqualTo(receipt.variant());
          assertThat(back.priceMillicents()).isEqualTo(receipt.priceMillicents());
          assertThat(back.change()).isEqualTo(receipt.change());
          assertThat(back.mac()).isEqualTo(receipt.mac());
          assertThat(back.format()).isEqualTo(receipt.format());
        });
  }

  @Test
  void receipt_writesOnlyWhatItHas_inTheDocumentedOrder() {
    assertThat(new Receipt(Variant.CLEAR, 5, new byte[0], new byte[0]).format())
        .isEqualTo("Millicent v=2, variant=clear, price=5");
    assertThat(new Receipt(Variant.SIGNED, 0, new byte[0], new byte[] {-1}).format())
        .isEqualTo("Millicent v=2, variant=signed, price=0, mac=_w");
    assertThat(new Receipt(Variant.PRIVATE, 7, new byte[] {1, 2, 3}, new byte[0]).format())
        .isEqualTo("Millicent v=2, variant=private, price=7, change=AQID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Millicent v=2, price=1",
        "Millicent v=2, variant=signed",
        "Millicent variant=signed, price=1",
        "Millicent v=3, variant=signed, price=1",
        "Millicent v=2, variant=account, price=1",
        "Millicent v=2, variant=Signed, price=1",
        "Millicent v=2, variant=signed, price=-5",
        "Millicent v=2, variant=signed, price=x",
        "Millicent v=2, variant=signed, price=1, price=2",
        "Millicent v=2, variant=signed, price=1, mac=\"a b\"",
        "Millicent v=2, variant=signed, price=1, mac=AAAAA",
        "Millicent v=2, variant=signed, price=1, change=\"AQID=\"",
        "Bearer v=2, variant=signed, price=1",
      })
  void receipt_hostile_isMalformed(String header) {
    assertThatThrownBy(() -> Receipt.parse(header)).isInstanceOf(MalformedException.class);
  }

  @Test
  void receipt_changeLongerThanAnySealedScrip_isMalformed() {
    String change = "A".repeat(4000);
    assertThatThrownBy(
            () -> Receipt.parse("Millicent v=2, variant=private, price=1, change=" + change))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("change is 4000 characters");
  }

  // ------------------------------------------------------------------ account request

  @Test
  void accountRequest_signParseVerify_roundTrips() {
    String header = AccountRequest.sign(-1L, SECRET, NONCE, GET);

    assertThat(header)
        .startsWith(
            "Millicent v=2, variant=account, customer=18446744073709551615,"
                + " nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=");
    assertThat(AccountRequest.isAccountRequest(header)).isTrue();
    AccountRequest r = AccountRequest.parse(header);
    assertThat(r.customerId()).isEqualTo(-1L);
    assertThat(r.mac()).hasSize(Macs.LENGTH);
    r.verify(SECRET, GET);
    assertThat(r.toString()).doesNotContain(AuthParams.bytesText(r.mac()));
  }

  @Test
  void accountRequest_otherRequestOrSecret_isForged() {
    AccountRequest r = AccountRequest.parse(AccountRequest.sign(7, SECRET, NONCE, GET));
    RequestDescriptor post =
        RequestDescriptor.of(GET.authority(), "POST", GET.target(), new byte[0]);
    byte[] other = new byte[32];
    other[0] = 1;

    assertThatThrownBy(() -> r.verify(SECRET, post)).isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> r.verify(CustomerSecret.of(other), GET))
        .isInstanceOf(ForgedException.class);
  }

  @Test
  void accountRequest_flippedOrShortMac_isForged() {
    String header = AccountRequest.sign(7, SECRET, NONCE, GET);
    String mac = header.substring(header.indexOf("mac=") + 4);
    String flipped =
        header.replace(
            "mac=" + mac, "mac=" + (mac.charAt(0) == 'A' ? 'B' : 'A') + mac.substring(1));
    String shortMac = header.replace("mac=" + mac, "mac=" + mac.substring(0, 8));

    assertThatThrownBy(() -> AccountRequest.parse(flipped).verify(SECRET, GET))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> AccountRequest.parse(shortMac).verify(SECRET, GET))
        .isInstanceOf(ForgedException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Millicent v=2, variant=signed, customer=7, nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
        "Millicent v=1, variant=account, customer=7, nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
        "Millicent v=2, variant=account, nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
        "Millicent v=2, variant=account, customer=7, mac=AA",
        "Millicent v=2, variant=account, customer=7, nonce=AAAAAAAAAAAAAAAAAAAAAA",
        "Millicent v=2, variant=account, customer=-7, nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
        "Millicent v=2, variant=account, customer=18446744073709551616,"
            + " nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
        "Millicent v=2, variant=account, customer=7, nonce=AAAA, mac=AA",
        "Millicent v=2, variant=account, customer=7, nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=\"A/\"",
        "Millicent v=2, variant=account, variant=account, customer=7,"
            + " nonce=AAAAAAAAAAAAAAAAAAAAAA, mac=AA",
      })
  void accountRequest_hostile_isMalformed(String header) {
    assertThatThrownBy(() -> AccountRequest.parse(header)).isInstanceOf(MalformedException.class);
  }

  @Test
  void isAccountRequest_onlyForTheAccountVariant() {
    assertThat(AccountRequest.isAccountRequest("Millicent v=2, variant=signed")).isFalse();
    assertThat(AccountRequest.isAccountRequest("Millicent variant=account")).isTrue();
    assertThat(AccountRequest.isAccountRequest("Millicent variant=account, ,")).isFalse();
    assertThat(AccountRequest.isAccountRequest(null)).isFalse();
  }

  // ------------------------------------------------------------------ headers

  @Test
  void notForwarded_isHopByHopOrSetBySender_inAnyCase() {
    for (String name :
        List.of(
            "Connection",
            "TE",
            "Transfer-Encoding",
            "Upgrade",
            "Proxy-Authorization",
            "Keep-Alive",
            "Content-Length",
            "HOST",
            "Expect",
            "HTTP2-Settings")) {
      assertThat(Headers.isNotForwarded(name)).as(name).isTrue();
    }
    for (String name :
        List.of("Authorization", "Content-Type", "Millicent-Receipt", "Cookie", "Accept")) {
      assertThat(Headers.isNotForwarded(name)).as(name).isFalse();
    }
  }
}
