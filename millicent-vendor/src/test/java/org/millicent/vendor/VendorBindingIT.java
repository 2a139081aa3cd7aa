package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.SpendMode;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/**
 * Issue 12, parts 3 and 4, at a vendor that accepts every variant (clear too, as the README's curl
 * session configures): a payment is bound to the origin the customer addressed, so a header
 * captured by a server that merely claims the vendor's name buys nothing at the real vendor; and
 * scrip issued to a customer with a alice.secret() is never accepted in the clear. Nothing refused
 * is consumed.
 */
class VendorBindingIT {
  private static final String BOB_TOKEN = "bob-secret-token-123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAGE = "/pages/haiku.html";

  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(
          VendorConfig.sampleBuilder()
              .port(0)
              .variants(EnumSet.allOf(Variant.class))
              .broker(
                  new BrokerConfig("bob", URI.create("http://127.0.0.1:8081"), BOB_TOKEN, 5, 500))
              .build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();

  /** A request with a Host header of our choosing, over a plain socket. */
  static int rawGet(String target, String host, String authorization) throws IOException {
    try (Socket s = new Socket("127.0.0.1", vendor.server().port())) {
      String req =
          "GET "
              + target
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\nAuthorization: "
              + authorization
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      return Integer.parseInt(text.substring(0, text.indexOf("\r\n")).split(" ", -1)[1]);
    }
  }

  private static String code(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body()).path("code").asText();
  }

  private void stillSpendable(Scrip s) {
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "GET", PAGE, new byte[0]), new byte[0]);
    assertThat(r.statusCode()).as("the genuine customer can still spend it").isEqualTo(200);
  }

  @Test
  void headerCapturedByAnImpostor_isRefusedAtTheRealVendor_andTheScripIsNotConsumed()
      throws Exception {
    // A 30-line server that answers 402 as "venetia" and keeps what it is paid with.
    AtomicReference<String> captured = new AtomicReference<>();
    HttpServer impostor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    impostor.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          if (auth != null) {
            captured.set(auth);
          }
          ex.getResponseHeaders()
              .add("WWW-Authenticate", "Millicent v=2, vendor=venetia, price=100, currency=USD");
          byte[] body = "{\"code\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(402, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    impostor.start();
    try {
      URI fake = URI.create("http://127.0.0.1:" + impostor.getAddress().getPort() + PAGE);
      Scrip s = alice.scrip(1_000);
      // The customer pays the URL she addressed, as the wallet does from the impostor's 402.
      Payment.Signed paid =
          Payer.signed(
              s,
              alice.secret(),
              Nonce.random(TestHttp.RANDOM),
              RequestDescriptor.of(Authority.of(fake), "GET", PAGE, new byte[0]));
      HttpResponse<byte[]> atImpostor =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(fake)
                      .header("Authorization", PaymentHeader.format(paid))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(atImpostor.statusCode()).isEqualTo(402);
      assertThat(captured.get()).isNotNull();

      // Relayed to the real vendor, same path: the MAC covers the impostor's origin.
      HttpResponse<byte[]> relayed = http.get(PAGE, "Authorization", captured.get());
      assertThat(relayed.statusCode()).isEqualTo(402);
      assertThat(code(relayed)).isEqualTo("wrong-customer");

      // Relayed with the impostor's Host: no payment is taken for an origin not the vendor's.
      String impostorHost = "127.0.0.1:" + impostor.getAddress().getPort();
      assertThat(rawGet(PAGE, impostorHost, captured.get())).isEqualTo(421);

      stillSpendable(s);

      // The private variant: the sealed payment's AAD covers the origin, so it does not open.
      Scrip p = alice.scrip(1_000);
      Payment.Private sealed =
          Payer.sealed(
              p,
              alice.secret(),
              Nonce.random(TestHttp.RANDOM),
              RequestDescriptor.of(Authority.of(fake), "GET", PAGE, new byte[0]),
              TestHttp.RANDOM);
      HttpResponse<byte[]> relayedPrivate =
          http.get(PAGE, "Authorization", PaymentHeader.format(sealed));
      assertThat(relayedPrivate.statusCode()).isEqualTo(402);
      assertThat(code(relayedPrivate)).isEqualTo("forged");
      stillSpendable(p);
    } finally {
      impostor.stop(0);
    }
  }

  @Test
  void payment_isAcceptedUnderEachLoopbackNameOfTheListeningPort() throws Exception {
    for (String host : List.of("127.0.0.1", "localhost", "LOCALHOST", "[::1]", "[0:0::1]")) {
      Scrip s = alice.scrip(1_000);
      Authority a = Authority.of("http", host, vendor.server().port());
      Payment.Signed p =
          Payer.signed(
              s,
              alice.secret(),
              Nonce.random(TestHttp.RANDOM),
              RequestDescriptor.of(a, "GET", PAGE, new byte[0]));
      String hostHeader = host + ":" + vendor.server().port();
      assertThat(rawGet(PAGE, hostHeader, PaymentHeader.format(p))).as(host).isEqualTo(200);
    }
    // A Host the vendor is not configured under cannot be paid, whatever the MAC says.
    Scrip s = alice.scrip(1_000);
    Authority elsewhere = Authority.of("http", "venetia.example", vendor.server().port());
    Payment.Signed p =
        Payer.signed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            RequestDescriptor.of(elsewhere, "GET", PAGE, new byte[0]));
    assertThat(rawGet(PAGE, "venetia.example:" + vendor.server().port(), PaymentHeader.format(p)))
        .isEqualTo(421);
    stillSpendable(s);
  }

  @Test
  void changeOfSignedPurchases_spentInTheClearByAThirdParty_isRefusedAndNotConsumed()
      throws Exception {
    List<Scrip> changes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      HttpResponse<byte[]> r =
          http.pay(
              http.signed(alice.scrip(1_000), alice.secret(), "GET", PAGE, new byte[0]),
              new byte[0]);
      assertThat(r.statusCode()).isEqualTo(200);
      changes.add(ScripCodec.fromToken(TestHttp.receipt(r).get("change")));
    }
    for (Scrip change : changes) {
      assertThat(change.spend()).isEqualTo(SpendMode.BOUND);
      Payment.Clear thief =
          Payer.clear(
              change, Nonce.random(TestHttp.RANDOM), http.descriptor("GET", PAGE, new byte[0]));
      HttpResponse<byte[]> r = http.pay(thief, new byte[0]);
      assertThat(r.statusCode()).isEqualTo(402);
      assertThat(code(r)).isEqualTo("wrong-customer");
    }
    for (Scrip change : changes) {
      stillSpendable(change);
    }
  }

  @Test
  void bearerScripFromTheWarehouse_paysInTheClear_andItsChangeStaysBearer() throws Exception {
    HttpResponse<byte[]> lot =
        http.send(
            "POST",
            "/millicent/broker/warehouse",
            JSON.writeValueAsBytes(Map.of("count", 1, "value_millicents", 1000, "spend", "bearer")),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(lot.statusCode()).as(TestHttp.text(lot)).isEqualTo(200);
    JsonNode tokens = JSON.readTree(lot.body()).get("scrip");
    Scrip bearer = ScripCodec.fromToken(tokens.get(0).asText());
    assertThat(bearer.spend()).isEqualTo(SpendMode.BEARER);

    HttpResponse<byte[]> r =
        http.pay(
            Payer.clear(
                bearer, Nonce.random(TestHttp.RANDOM), http.descriptor("GET", PAGE, new byte[0])),
            new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    Scrip change = ScripCodec.fromToken(TestHttp.receipt(r).get("change"));
    assertThat(change.spend()).isEqualTo(SpendMode.BEARER);
    assertThat(change.valueMillicents()).isEqualTo(900);

    HttpResponse<byte[]> bad =
        http.send(
            "POST",
            "/millicent/broker/warehouse",
            JSON.writeValueAsBytes(Map.of("count", 1, "value_millicents", 1000, "spend", "cash")),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
