package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millicent.failure.MalformedException;

/** The Authorization header of docs/PROTOCOL.md, "HTTP binding". */
class PaymentHeaderTest {
  private static final RequestDescriptor GET =
      RequestDescriptor.of(Authority.of("https", "venetia.example", -1), "GET", "/", new byte[0]);
  private static final Nonce NONCE = Nonce.of(new byte[16]);
  private static final byte[] SCRIP = {1, 2, 3};

  @Test
  void format_signed_namesVersionVariantScripNonceMac() {
    byte[] mac = new byte[16];
    mac[0] = (byte) 0xff;

    String h = PaymentHeader.format(new Payment.Signed(SCRIP, NONCE, mac, GET));

    assertThat(h)
        .isEqualTo(
            "Millicent v=2, variant=signed, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA,"
                + " mac=_wAAAAAAAAAAAAAAAAAAAA");
  }

  @Test
  void format_clearAndPrivate() {
    assertThat(PaymentHeader.format(new Payment.Clear(SCRIP, NONCE, GET)))
        .isEqualTo("Millicent v=2, variant=clear, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(PaymentHeader.format(new Payment.Private("venetia", -1L, SCRIP, GET)))
        .isEqualTo(
            "Millicent v=2, variant=private, vendor=venetia, customer=18446744073709551615,"
                + " payment=AQID");
  }

  @Test
  void parse_ofFormat_isTheSamePayment() {
    Payment.Signed s = new Payment.Signed(SCRIP, NONCE, new byte[16], GET);
    Payment.Private p = new Payment.Private("venetia", -2L, SCRIP, GET);

    Payment.Signed s2 = (Payment.Signed) PaymentHeader.parse(PaymentHeader.format(s), GET);
    Payment.Private p2 = (Payment.Private) PaymentHeader.parse(PaymentHeader.format(p), GET);

    assertThat(s2.scrip()).isEqualTo(SCRIP);
    assertThat(s2.nonce()).isEqualTo(NONCE);
    assertThat(s2.mac()).isEqualTo(new byte[16]);
    assertThat(s2.request()).isEqualTo(GET);
    assertThat(p2.customerId()).isEqualTo(-2L);
    assertThat(p2.vendor()).isEqualTo("venetia");
  }

  @Test
  void parse_acceptsRfc9110Spellings() {
    Payment p =
        PaymentHeader.parse(
            "millicent  V=\"2\" ,variant = clear,\tscrip=AQID , nonce=AAAAAAAAAAAAAAAAAAAAAA", GET);

    assertThat(p).isInstanceOf(Payment.Clear.class);
  }

  @Test
  void parse_badHeaders_areMalformed() {
    String ok = "Millicent v=2, variant=clear, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA";
    assertThat(PaymentHeader.parse(ok, GET)).isInstanceOf(Payment.Clear.class);

    for (String bad :
        new String[] {
          null,
          "",
          "Bearer abc",
          "Millicent",
          "Millicent v=1, variant=clear, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=3, variant=clear, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=cash, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=clear, scrip=AQID",
          "Millicent v=2, variant=clear, scrip=AQID, nonce=AAAA",
          "Millicent v=2, variant=clear, scrip=AQ=D, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=clear, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA, v=2",
          "Millicent v=2, variant=clear, scrip=AQID nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=clear, scrip=\"AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=signed, scrip=AQID, nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=2, variant=private, vendor=v, customer=-1, payment=AQID",
          "Millicent v=2, variant=private, vendor=v, customer=18446744073709551616, payment=AQID",
          "Millicent v=2, variant=clear, scrip="
              + "A".repeat(3000)
              + ", nonce=AAAAAAAAAAAAAAAAAAAAAA",
          "Millicent v=" + "1".repeat(20_000),
        }) {
      assertThatThrownBy(() -> PaymentHeader.parse(bad, GET))
          .as(bad == null ? "null" : bad.substring(0, Math.min(80, bad.length())))
          .isInstanceOf(MalformedException.class);
    }
  }

  @Test
  void authParams_formatQuotesNonTokensAndParseUnquotes() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("vendor", "venetia");
    p.put("brokers", "http://a \"b\" \\c");

    String h = AuthParams.format(p);

    assertThat(h).isEqualTo("Millicent vendor=venetia, brokers=\"http://a \\\"b\\\" \\\\c\"");
    assertThat(AuthParams.parse(h)).isEqualTo(p);
    assertThatThrownBy(() -> AuthParams.format(Map.of("bad name", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
