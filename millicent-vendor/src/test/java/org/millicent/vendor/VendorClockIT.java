package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.testing.MutableClock;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The vendor reads time from the clock it is started with, never from the system clock: expiry, the
 * scrip it sells and licences follow a clock the test moves by hand (set years away from now, so
 * that the system clock would decide otherwise).
 */
class VendorClockIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAGE = "/pages/haiku.html";
  private static final String BOB_TOKEN = "bob-token-0123456789abcdef";
  private static final Duration LIFETIME = Duration.ofDays(2);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2019-05-01T12:00:00Z"));
  private VendorServer vendor;
  private TestHttp http;
  private OwnCustomers own;
  private long alice;
  private CustomerSecret secret;

  @BeforeEach
  void start() {
    vendor =
        VendorServer.start(
            VendorConfig.sampleBuilder()
                .port(0)
                .scripLifetime(LIFETIME)
                .broker(
                    new BrokerConfig("bob", URI.create("http://127.0.0.1:8081"), BOB_TOKEN, 5, 0))
                .build(),
            dir,
            clock);
    http = new TestHttp(vendor.url());
    own = OwnCustomers.of(vendor);
    alice = own.newCustomerId();
    secret = own.customerSecret(alice);
  }

  @AfterEach
  void stop() {
    vendor.close();
  }

  private String pay(Scrip s) throws Exception {
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, secret, "GET", PAGE, new byte[0]), new byte[0]);
    return r.statusCode() == 200 ? "ok" : JSON.readTree(r.body()).path("code").asText();
  }

  @Test
  void scripExpiredBySystemClock_isAcceptedWhileTheInjectedClockSaysItIsValid() throws Exception {
    Instant expires = clock.instant().plus(Duration.ofHours(1));

    assertThat(pay(own.mint(1_000, alice, expires))).isEqualTo("ok");
  }

  @Test
  void movingTheInjectedClockPastExpiry_makesTheSameScripExpired() throws Exception {
    Instant expires = clock.instant().plus(Duration.ofHours(1));
    Scrip before = own.mint(1_000, alice, expires);
    Scrip after = own.mint(1_000, alice, expires);
    assertThat(pay(before)).isEqualTo("ok");

    clock.advance(Duration.ofHours(2));

    assertThat(pay(after)).isEqualTo("expired");
  }

  @Test
  void scripSoldToABroker_expiresOneLifetimeAfterTheInjectedClock() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/broker/warehouse",
            JSON.writeValueAsBytes(Map.of("count", 1, "value_millicents", 500)),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());

    Scrip sold = ScripCodec.fromToken(body.get("scrip").get(0).asText());

    assertThat(sold.expiresAt()).isEqualTo(clock.instant().plus(LIFETIME));
  }

  @Test
  void licence_isIssuedAtTheInjectedClocksTime() {
    clock.advance(Duration.ofMinutes(7));

    var issued = vendor.state().licences.issue("bob", 1, null);

    assertThat(issued.licence().issuedAt()).isEqualTo(clock.instant());
  }
}
