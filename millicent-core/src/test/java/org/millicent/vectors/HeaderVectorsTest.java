package org.millicent.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.vectors.TestVectors.HEX;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Offer;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * The header vectors of docs/PROTOCOL.md ("Test vectors", "Headers"): each exact header value is
 * built from the checked-in vectors by core's writer, read back by its reader, verified with the
 * vectors' secrets, and found verbatim in PROTOCOL.md.
 */
class HeaderVectorsTest {
  static final String AUTHORIZATION_SIGNED =
      "Millicent v=2, variant=signed,"
          + " scrip=Agd2ZW5ldGlhAAAAAAAAA-gAAAAAAAAAAQEAAAAAAAABAAAAAPSGVwABAHttONFDD1lNtT3pbV5cfj4,"
          + " nonce=gIGCg4SFhoeIiYqLjI2Ojw, mac=8qkQrRncIjnidBlDSNDFLQ";
  static final String OFFER_VENDOR =
      "Millicent v=2, vendor=venetia, price=100, currency=USD, variants=\"signed private\","
          + " brokers=\"http://127.0.0.1:8081\"";
  static final String OFFER_BROKER =
      "Millicent v=2, vendor=bob, price=5000, currency=USD, variants=signed";
  static final String RECEIPT_SIGNED =
      "Millicent v=2, variant=signed, price=100,"
          + " change=Agd2ZW5ldGlhAAAAAAAAA4QAAAAAAAAAAgEAAAAAAAABAAAAAPSGZRABAK46Kxi0cX9V2HWx5lvtgKo,"
          + " mac=y0O3PHXT_m520kXKVgLHUw";
  static final String RECEIPT_PRIVATE =
      "Millicent v=2, variant=private, price=100,"
          + " change=AQAAAAAAAAAAAAAAA4v65rE_Gkmj4McyaDUlv-Ft_ih62UN0kB-sEQgfi5Adoo-VS8hTqoBdcMr2zDb52kSyMysgW2fv6OxwlzyF5y2UNTF5c47SVKBPNQ";
  static final String ACCOUNT_REQUEST =
      "Millicent v=2, variant=account, customer=72057594037927937, nonce=gIGCg4SFhoeIiYqLjI2Ojw,"
          + " mac=oOM7_pTkrxka-llA2O7Ncg";

  private static Map<String, Object> file;

  @BeforeAll
  static void read() throws IOException {
    file = map(Json.parse(Files.readString(TestVectors.file(), StandardCharsets.UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> entry(String section, int i) {
    return ((List<Map<String, Object>>) file.get(section)).get(i);
  }

  private static Map<String, Object> sealed(String role) {
    for (int i = 0; ; i++) {
      Map<String, Object> e = entry("sealed", i);
      if (role.equals(e.get("role"))) {
        return e;
      }
    }
  }

  private static byte[] hex(Map<String, Object> m, String name) {
    return HEX.parseHex((String) m.get(name));
  }

  private static CustomerSecret alice() {
    return CustomerSecret.of(hex(entry("customer_secret", 0), "customer_secret"));
  }

  private static Scrip scrip(int i) {
    return ScripCodec.fromToken((String) entry("scrip", i).get("token"));
  }

  private static RequestDescriptor firstRequest() {
    Map<String, Object> f = map(entry("request_mac", 0).get("fields"));
    return RequestDescriptor.of(
        Authority.of(
            (String) f.get("scheme"),
            (String) f.get("host"),
            ((BigInteger) f.get("port")).intValueExact()),
        (String) f.get("method"),
        (String) f.get("target"),
        hex(f, "body"));
  }

  private static Nonce firstNonce() {
    return Nonce.of(hex(map(entry("request_mac", 0).get("fields")), "nonce"));
  }

  private static void assertDocumented(String header) throws IOException {
    String doc =
        Files.readString(TestVectors.file().resolveSibling("PROTOCOL.md"), StandardCharsets.UTF_8);
    assertThat(doc).as("docs/PROTOCOL.md lists the vector").contains(header);
  }

  @Test
  void signedAuthorization_isTheFirstRequestMacVector() throws IOException {
    Payment.Signed p = Payer.signed(scrip(0), alice(), firstNonce(), firstRequest());

    assertThat(PaymentHeader.format(p)).isEqualTo(AUTHORIZATION_SIGNED);
    assertThat(p.mac()).isEqualTo(hex(entry("request_mac", 0), "mac"));
    Payment.Signed back =
        (Payment.Signed) PaymentHeader.parse(AUTHORIZATION_SIGNED, firstRequest());
    assertThat(back.mac()).isEqualTo(p.mac());
    assertDocumented("Authorization: " + AUTHORIZATION_SIGNED);
  }

  @Test
  void vendorOffer_isTheOfferOfHttpApiMd() throws IOException {
    Offer o =
        new Offer(
            "venetia",
            100,
            "USD",
            EnumSet.of(Variant.PRIVATE, Variant.SIGNED),
            Optional.of(List.of(URI.create("http://127.0.0.1:8081"))));

    assertThat(o.format()).isEqualTo(OFFER_VENDOR);
    assertThat(Offer.parse(OFFER_VENDOR)).isEqualTo(o);
    assertDocumented("WWW-Authenticate: " + OFFER_VENDOR);
  }

  @Test
  void brokerOffer_namesNoBrokers() throws IOException {
    Offer o = new Offer("bob", 5000, "USD", EnumSet.of(Variant.SIGNED), Optional.empty());

    assertThat(o.format()).isEqualTo(OFFER_BROKER);
    assertThat(Offer.parse(OFFER_BROKER)).isEqualTo(o);
    assertDocumented("WWW-Authenticate: " + OFFER_BROKER);
  }

  @Test
  void signedReceipt_isTheFirstReplyMacVector_andVouchesForItsChange() throws IOException {
    Map<String, Object> reply = entry("reply_mac", 0);
    Map<String, Object> f = map(reply.get("fields"));
    Receipt r = new Receipt(Variant.SIGNED, 100, hex(f, "change"), hex(reply, "mac"));

    assertThat(r.format()).isEqualTo(RECEIPT_SIGNED);
    Receipt back = Receipt.parse(RECEIPT_SIGNED);
    Optional<Scrip> change =
        Payer.verifySignedReceipt(alice(), hex(f, "request_mac"), 200, back, hex(f, "body"));
    assertThat(change).hasValue(scrip(4));
    assertThat(back.priceMillicents()).isEqualTo(100);
    assertDocumented("Millicent-Receipt: " + RECEIPT_SIGNED);
  }

  @Test
  void privateReceipt_carriesTheSealedChangeVector() throws IOException {
    Receipt r = new Receipt(Variant.PRIVATE, 100, hex(sealed("change"), "ciphertext"), new byte[0]);

    assertThat(r.format()).isEqualTo(RECEIPT_PRIVATE);
    Receipt back = Receipt.parse(RECEIPT_PRIVATE);
    assertThat(back.change()).isEqualTo(hex(sealed("change"), "ciphertext"));
    assertThat(back.mac()).isEmpty();
    assertDocumented("Millicent-Receipt: " + RECEIPT_PRIVATE);
  }

  @Test
  void accountRequest_isTheRequestMacOverNoScrip_andVerifies() throws IOException {
    RequestDescriptor get =
        RequestDescriptor.of(
            Authority.of("https", "bob.example", -1),
            "GET",
            "/broker/accounts/72057594037927937",
            new byte[0]);
    String header = AccountRequest.sign(TestVectors.ALICE, alice(), firstNonce(), get);

    assertThat(header).isEqualTo(ACCOUNT_REQUEST);
    AccountRequest back = AccountRequest.parse(ACCOUNT_REQUEST);
    assertThat(back.customerId()).isEqualTo(TestVectors.ALICE);
    back.verify(alice(), get);
    assertDocumented("Authorization: " + ACCOUNT_REQUEST);
  }
}
