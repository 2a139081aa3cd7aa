package org.millicent.cli.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;

/**
 * {@code millicent vendor keys} against a running vendor ({@code --url}, admin token from the data
 * folder) and on a stopped vendor's data folder, and the refusal to touch a folder a running vendor
 * holds (docs/VENDOR-KEYS.md).
 */
class VendorKeysCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static int mintedKeyId(VendorServer v) {
    return OwnCustomers.of(v)
        .mint(
            100,
            OwnCustomers.of(v).newCustomerId(),
            Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS))
        .id()
        .keyId();
  }

  private static String state(JsonNode list, int keyId) {
    for (JsonNode k : list.get("keys")) {
      if (k.get("key_id").asInt() == keyId) {
        return k.get("state").asText();
      }
    }
    return "absent";
  }

  @Test
  void runningVendor_rotatedAndRetiredThroughItsUrl_andItsFolderIsRefusedWithoutOne()
      throws Exception {
    String data = dir.toString();
    try (VendorServer v = VendorServer.start(VendorConfig.sampleBuilder().port(0).build(), dir)) {
      String url = v.url().toString();

      CliRun locked = CliRun.of("vendor", "keys", "rotate", "--data", data);
      assertThat(locked.exitCode()).isEqualTo(1);
      assertThat(locked.err()).contains("a vendor is running on").contains("--url");
      assertThat(mintedKeyId(v)).as("nothing rotated").isZero();

      CliRun rotated = CliRun.of("vendor", "keys", "rotate", "--url", url, "--data", data);
      assertThat(rotated.exitCode()).as(rotated.err()).isZero();
      assertThat(rotated.out())
          .contains("key 1 is primary")
          .contains("key 0 mints no more")
          .contains("retire 0");
      assertThat(mintedKeyId(v)).isEqualTo(1);

      CliRun list = CliRun.of("vendor", "keys", "list", "--url", url, "--data", data);
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.out()).containsPattern("(?m)^0 +active ").containsPattern("(?m)^1 +primary ");

      CliRun primary = CliRun.of("vendor", "keys", "retire", "1", "--url", url, "--data", data);
      assertThat(primary.exitCode()).isEqualTo(1);
      assertThat(primary.err()).contains("conflict").contains("rotate first");
      CliRun early = CliRun.of("vendor", "keys", "retire", "0", "--url", url, "--data", data);
      assertThat(early.exitCode()).isEqualTo(1);
      assertThat(early.err()).contains("may be valid until");
      CliRun absent = CliRun.of("vendor", "keys", "retire", "9", "--url", url, "--data", data);
      assertThat(absent.exitCode()).isEqualTo(2);
      assertThat(absent.err()).contains("not-found");

      CliRun forced =
          CliRun.of("vendor", "keys", "retire", "0", "--force", "--url", url, "--data", data);
      assertThat(forced.exitCode()).as(forced.err()).isZero();
      assertThat(forced.out()).contains("key 0 is retired").contains("unknown-key");
      JsonNode json =
          JSON.readTree(
              CliRun.of("vendor", "keys", "list", "--json", "--url", url, "--data", data).out());
      assertThat(state(json, 0)).isEqualTo("retired");
      assertThat(state(json, 1)).isEqualTo("primary");

      CliRun noToken =
          CliRun.of(
              "vendor",
              "keys",
              "list",
              "--url",
              url,
              "--data",
              dir.resolve("elsewhere").toString());
      assertThat(noToken.exitCode()).isEqualTo(2);
      assertThat(noToken.err()).contains("cannot read the admin token");
    }

    // Stopped: the same commands work on the data folder itself.
    CliRun rotated = CliRun.of("vendor", "keys", "rotate", "--data", data);
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("key 2 is primary").contains("key 1 mints no more");
    JsonNode json =
        JSON.readTree(CliRun.of("vendor", "keys", "list", "--json", "--data", data).out());
    assertThat(state(json, 0)).isEqualTo("retired");
    assertThat(state(json, 1)).isEqualTo("active");
    assertThat(state(json, 2)).isEqualTo("primary");
    CliRun early = CliRun.of("vendor", "keys", "retire", "1", "--data", data);
    assertThat(early.exitCode()).isEqualTo(1);
    assertThat(early.err()).contains("may be valid until");

    try (VendorServer v = VendorServer.start(VendorConfig.sampleBuilder().port(0).build(), dir)) {
      assertThat(mintedKeyId(v)).isEqualTo(2);
    }
  }

  @Test
  void offline_withoutAVendorFolder_isAUsageError() {
    CliRun r = CliRun.of("vendor", "keys", "list", "--data", dir.resolve("absent").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no vendor data folder");
    CliRun empty = CliRun.of("vendor", "keys", "list", "--data", dir.toString());
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).contains("no vendor database");
  }

  @Test
  void anAdminTokenWithAControlCharacter_isRefused_withoutPrintingIt() throws Exception {
    String token = "secret-token-\u0001-0123456789";
    Path f = dir.resolve("token");
    java.nio.file.Files.writeString(f, token);

    CliRun vendorKeys =
        CliRun.of(
            "vendor",
            "keys",
            "list",
            "--url",
            "http://127.0.0.1:1",
            "--admin-token-file",
            f.toString());
    assertThat(vendorKeys.exitCode()).isEqualTo(2);
    assertThat(vendorKeys.err()).contains("not visible ASCII").doesNotContain("secret-token");
    assertThat(vendorKeys.out()).doesNotContain("secret-token");

    CliRun brokerVendors =
        CliRun.of(
            "broker", "vendors", "--url", "http://127.0.0.1:1", "--admin-token-file", f.toString());
    assertThat(brokerVendors.exitCode()).isEqualTo(2);
    assertThat(brokerVendors.err()).contains("not visible ASCII").doesNotContain("secret-token");
    assertThat(brokerVendors.out()).doesNotContain("secret-token");
  }

  @Test
  void aStoppedVendorsRotation_takesExpiresByFromTheLongestLifetimeItRanWith_notTheSample()
      throws Exception {
    String data = dir.toString();
    // Ran once with a 30-day lifetime, then with the sample's shorter one.
    VendorServer.start(
            VendorConfig.sampleBuilder().port(0).scripLifetime(Duration.ofDays(30)).build(), dir)
        .close();
    VendorServer.start(VendorConfig.sampleBuilder().port(0).build(), dir).close();

    CliRun rotated = CliRun.of("vendor", "keys", "rotate", "--data", data);
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    JsonNode json =
        JSON.readTree(CliRun.of("vendor", "keys", "list", "--json", "--data", data).out());
    JsonNode old = null;
    for (JsonNode k : json.get("keys")) {
      if (k.get("key_id").asInt() == 0) {
        old = k;
      }
    }
    assertThat(old).isNotNull();
    JsonNode by = old.get("expires_by");
    Instant expiresBy =
        by.isNumber() ? Instant.ofEpochSecond(by.asLong()) : Instant.parse(by.asText());
    assertThat(expiresBy).isAfter(Instant.now().plus(Duration.ofDays(29)));
    CliRun early = CliRun.of("vendor", "keys", "retire", "0", "--data", data);
    assertThat(early.exitCode()).isEqualTo(1);
  }
}
