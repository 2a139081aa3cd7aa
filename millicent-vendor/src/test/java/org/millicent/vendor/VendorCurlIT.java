package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/**
 * Raw HTTP/1.1 as {@code curl} sends it, over a plain socket: the bytes on the wire, header
 * spelling and spacing as a person would type them, and the answers a shell script reads.
 */
class VendorCurlIT {
  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(VendorConfig.sampleBuilder().port(0).build());

  private final OwnCustomer alice = vendor.alice();

  /** What came back: status, headers (lower-case names) and body. */
  record Raw(int status, Map<String, String> headers, String body) {}

  static Raw curl(String method, String target, String body, String... headerLines)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", vendor.server().port())) {
      StringBuilder req =
          new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
              .append("Host: 127.0.0.1:")
              .append(vendor.server().port())
              .append("\r\n")
              .append("User-Agent: curl/8.5.0\r\n")
              .append("Accept: */*\r\n")
              .append("Connection: close\r\n");
      for (String h : headerLines) {
        req.append(h).append("\r\n");
      }
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        req.append("Content-Type: application/x-www-form-urlencoded\r\n")
            .append("Content-Length: ")
            .append(b.length)
            .append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, split).split("\r\n", -1);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
      }
      return new Raw(
          Integer.parseInt(lines[0].split(" ", -1)[1]), headers, text.substring(split + 4));
    }
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The header a shell script builds from a token, a nonce and a MAC it computed. */
  String authorization(String format, Scrip scrip, String method, String target, String body) {
    byte[] encoded = ScripCodec.encode(scrip);
    Nonce nonce = Nonce.random(TestHttp.RANDOM);
    byte[] mac =
        Macs.mac(
            alice.secret(),
            Macs.requestInput(
                encoded,
                nonce,
                RequestDescriptor.of(
                    Authority.of("http", "127.0.0.1", vendor.server().port()),
                    method,
                    target,
                    body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8))));
    return String.format(format, scrip.token(), nonce, b64(mac));
  }

  @Test
  void curlI_withoutPayment_shows402OfferHeaders() throws IOException {
    Raw r = curl("GET", "/pages/haiku.html", null);
    assertThat(r.status()).isEqualTo(402);
    assertThat(r.headers().get("www-authenticate"))
        .isEqualTo(
            "Millicent v=2, vendor=venetia, price=100, currency=USD,"
                + " variants=\"signed private\", brokers=\"\"");
    assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
    assertThat(r.body()).contains("\"code\":\"payment-required\"");
  }

  @Test
  void curlH_withHandTypedHeader_lowerCaseSchemeAndLooseSpacing_buysThePage() throws IOException {
    String auth =
        authorization(
            "Authorization: millicent V=2,variant=\"signed\" ,  scrip=%s,nonce=%s , MAC=%s",
            alice.scrip(300), "GET", "/pages/haiku.html?utm=1", null);
    Raw r = curl("GET", "/pages/haiku.html?utm=1", null, auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("A haiku");
    assertThat(r.headers().get("millicent-receipt"))
        .startsWith("Millicent v=2, variant=signed, price=100, change=")
        .contains(", mac=");
  }

  @Test
  void curlD_alteredPostBody_isRefusedByTheMac() throws IOException {
    Scrip s = alice.scrip(1_000);
    String body =
        "{\"operation\":\"split\",\"scrip\":[\""
            + s.token()
            + "\"],\"amounts_millicents\":[1,999]}";
    String signedFor = body.replace("[1,999]", "[500,500]");
    // MAC over another body than the one sent: the request was altered on the way.
    String forged =
        authorization(
            "Authorization: Millicent v=2, variant=signed, scrip=%s, nonce=%s, mac=%s",
            s, "POST", "/millicent/exchange", signedFor);
    Raw r = curl("POST", "/millicent/exchange", body, forged);
    assertThat(r.status()).isEqualTo(402);
    assertThat(r.body()).contains("\"code\":\"wrong-customer\"");
  }

  @Test
  void curl_exchangeWithJsonBody_renewsTheScrip() throws IOException {
    Scrip s = alice.scrip(500);
    String json = "{\"operation\":\"renew\",\"scrip\":[\"" + s.token() + "\"]}";
    String auth =
        authorization(
            "Authorization: Millicent v=2, variant=signed, scrip=%s, nonce=%s, mac=%s",
            s, "POST", "/millicent/exchange", json);
    Raw r = curl("POST", "/millicent/exchange", json, auth, "Content-Type: application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"scrip\":[\"");
    assertThat(r.headers().get("millicent-receipt"))
        .startsWith("Millicent v=2, variant=signed, price=0, mac=");
  }

  @Test
  void curl_garbledHeader_isA400ProblemNotACrash() throws IOException {
    Raw r =
        curl(
            "GET",
            "/pages/haiku.html",
            null,
            "Authorization: Millicent v=2, variant=signed, scrip=\"unterminated");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
    assertThat(r.body()).contains("\"code\":\"malformed\"");
  }
}
