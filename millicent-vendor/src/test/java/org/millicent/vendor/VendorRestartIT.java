package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/** What survives a restart on the same data folder: keys, spends, serials, customers, token. */
class VendorRestartIT {
  @TempDir Path dir;

  @Test
  void restart_keepsKeysSpendsSerialsCustomerIdsAndTheAdminToken() {
    VendorConfig config = VendorConfig.sampleBuilder().port(0).build();
    Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Scrip spent;
    Scrip unspent;
    Scrip change;
    long alice;
    CustomerSecret secret;
    String token;
    try (VendorServer v = VendorServer.start(config, dir)) {
      alice = OwnCustomers.of(v).newCustomerId();
      secret = OwnCustomers.of(v).customerSecret(alice);
      spent = OwnCustomers.of(v).mint(1_000, alice, exp);
      unspent = OwnCustomers.of(v).mint(1_000, alice, exp);
      var r =
          new TestHttp(v.url())
              .pay(
                  new TestHttp(v.url())
                      .signed(spent, secret, "GET", "/pages/haiku.html", new byte[0]),
                  new byte[0]);
      assertThat(r.statusCode()).isEqualTo(200);
      change = ScripCodec.fromToken(TestHttp.receipt(r).get("change"));
      token = v.adminToken();
    }
    assertThat(Files.exists(dir.resolve(VendorServer.ADMIN_TOKEN_FILE))).isTrue();
    try (VendorServer v = VendorServer.start(config, dir)) {
      TestHttp http = new TestHttp(v.url());
      assertThat(v.adminToken()).isEqualTo(token);
      assertThat(OwnCustomers.of(v).customerSecret(alice)).isEqualTo(secret);
      assertThat(OwnCustomers.of(v).newCustomerId()).isGreaterThan(alice);
      assertThat(
              http.pay(
                      http.signed(spent, secret, "GET", "/pages/haiku.html", new byte[0]),
                      new byte[0])
                  .statusCode())
          .isEqualTo(402);
      var ok =
          http.pay(
              http.signed(unspent, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
      assertThat(ok.statusCode()).isEqualTo(200);
      Scrip newChange = ScripCodec.fromToken(TestHttp.receipt(ok).get("change"));
      assertThat(newChange.id()).isNotEqualTo(change.id());
      assertThat(
              http.pay(
                      http.signed(change, secret, "GET", "/pages/haiku.html", new byte[0]),
                      new byte[0])
                  .statusCode())
          .isEqualTo(200);
    }
  }
}
