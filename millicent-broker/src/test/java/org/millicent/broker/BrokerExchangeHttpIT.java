package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * {@code POST /millicent/exchange} at a real broker: a renewal over HTTP with its receipt, an
 * identical re-send answered with the same scrip, and hostile requests answered 4xx with a code,
 * never consuming the scrip.
 */
class BrokerExchangeHttpIT {
  @TempDir Path dir;
  private BrokerServer broker;
  private HttpClientSupport http;

  @BeforeEach
  void start() {
    broker =
        BrokerServer.start(
            BrokerConfig.defaults().withBrokerId("bob").withListen("127.0.0.1", 0),
            dir.resolve("bob"));
    http = new HttpClientSupport(broker.url());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void renewOverHttp_identicalResendGetsTheSameScrip_hostileRequestsAre4xxAndConsumeNothing() {
    HttpClientSupport.Registered alice = http.register("alice");
    CustomerSecret secret = alice.secret();
    Scrip s = http.buyBrokerScrip(alice, 2_000);
    assertThat(
            http.send("GET", "/.well-known/millicent", null, null).json().get("exchange").asText())
        .isEqualTo("/millicent/exchange");

    String good = "{\"operation\":\"renew\",\"scrip\":[\"" + s.token() + "\"]}";
    List<String> hostile =
        List.of(
            "",
            "[]",
            "{\"operation\":\"renew\"}",
            "{\"operation\":\"renew\",\"scrip\":[1]}",
            "{\"operation\":\"renew\",\"scrip\":[\"not-a-token\"]}",
            "{\"operation\":\"melt\",\"scrip\":[\"" + s.token() + "\"]}",
            "{\"operation\":\"split\",\"scrip\":[\"" + s.token() + "\"]}",
            "{\"operation\":\"split\",\"amounts_millicents\":[1.5],\"scrip\":[\""
                + s.token()
                + "\"]}",
            "{\"operation\":\"split\",\"amounts_millicents\":[1000,999],\"scrip\":[\""
                + s.token()
                + "\"]}",
            "{\"operation\":\"merge\",\"scrip\":[\"" + s.token() + "\"]}",
            "{\"operation\":\"renew\",\"scrip\":[\"" + s.token() + "\",\"" + s.token() + "\"]}");
    for (String body : hostile) {
      String header = header(s, secret, body);
      HttpClientSupport.Reply r = http.send("POST", "/millicent/exchange", body, header);
      assertThat(r.status()).as("%s -> %s", body, r.json()).isBetween(400, 499);
      assertThat(r.code()).as(body).isNotNull();
    }
    assertThat(http.send("POST", "/millicent/exchange", good, null).code())
        .isEqualTo("payment-required");
    // A header signed for another body: the request MAC does not verify.
    HttpClientSupport.Reply relayed =
        http.send("POST", "/millicent/exchange", good, header(s, secret, "{}"));
    assertThat(relayed.status()).isEqualTo(402);
    assertThat(relayed.code()).isIn("forged", "wrong-customer");
    assertThat(broker.broker().totals().outstandingMillicents()).isEqualTo(2_000);

    String header = header(s, secret, good);
    HttpClientSupport.Reply first = http.send("POST", "/millicent/exchange", good, header);
    assertThat(first.status()).as("%s", first.json()).isEqualTo(200);
    assertThat(first.raw().headers().firstValue("Millicent-Receipt")).isPresent();
    String renewed = first.json().get("scrip").get(0).asText();
    assertThat(ScripCodec.fromToken(renewed).valueMillicents()).isEqualTo(2_000);
    HttpClientSupport.Reply again = http.send("POST", "/millicent/exchange", good, header);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("scrip").get(0).asText()).isEqualTo(renewed);
    assertThat(broker.broker().totals().conserved()).isTrue();
    assertThat(broker.broker().totals().outstandingMillicents()).isEqualTo(2_000);
  }

  private String header(Scrip s, CustomerSecret secret, String body) {
    return http.payment(s, secret, "POST", "/millicent/exchange", body);
  }
}
