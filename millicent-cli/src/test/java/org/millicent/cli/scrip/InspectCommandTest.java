package org.millicent.cli.scrip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millicent.cli.CliRun;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;

class InspectCommandTest {
  private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");
  private static final long CUSTOMER = 0x0500_0000_0000_3039L;

  private static Scrip mint(long valueMillicents, Instant expiresAt, Map<String, String> props) {
    MasterSecrets masters = MasterSecrets.generate(3, new SecureRandom());
    ScripMinter minter = new ScripMinter("venetia.example", masters, new InMemorySerialAllocator());
    minter.mint(1, CUSTOMER, expiresAt, ScripProperties.NONE); // serial 0; the next is 1
    return minter.mint(valueMillicents, CUSTOMER, expiresAt, ScripProperties.of(props));
  }

  @Test
  void inspect_validToken_printsEveryFieldReadably() {
    Scrip scrip = mint(2500, FAR_FUTURE, Map.of("country", "US", "state", "CA"));

    CliRun run = CliRun.of("scrip", "inspect", scrip.token());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("vendor:      venetia.example")
        .contains("value:       2.5¢ (2,500 m¢)")
        .contains("key id 3, serial 1 (0x0300000000000001)")
        .contains("360287970189652025 (0x0500000000003039), selector 5")
        .contains("9999-01-01T00:00:00Z (epoch 253370764800 s), valid for ")
        .contains("spend:       bound (spent only with the customer secret")
        .contains("country=US, state=CA")
        .contains(scrip.certificate().toString())
        .contains(ScripCodec.encode(scrip).length + " bytes");
  }

  @Test
  void inspect_expiredScrip_saysExpired() {
    Scrip scrip = mint(100, Instant.parse("2001-09-09T01:46:40Z"), Map.of());

    CliRun run = CliRun.of("scrip", "inspect", scrip.token());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("(epoch 1000000000 s), expired ").contains("(none)");
  }

  @Test
  void inspect_json_printsOneObjectWithEveryField() throws Exception {
    Scrip scrip = mint(150_000, FAR_FUTURE, Map.of("country", "US"));

    CliRun run = CliRun.of("scrip", "inspect", "--json", scrip.token());

    assertThat(run.exitCode()).isZero();
    JsonNode j = new ObjectMapper().readTree(run.out());
    assertThat(j.get("vendor").asText()).isEqualTo("venetia.example");
    assertThat(j.get("value_millicents").asLong()).isEqualTo(150_000);
    assertThat(j.get("value_human").asText()).isEqualTo("$1.50");
    assertThat(j.at("/scrip_id/key_id").asInt()).isEqualTo(3);
    assertThat(j.at("/scrip_id/serial").asLong()).isEqualTo(1);
    assertThat(j.at("/scrip_id/hex").asText()).isEqualTo("0300000000000001");
    assertThat(j.at("/customer_id/decimal").asText()).isEqualTo("360287970189652025");
    assertThat(j.at("/customer_id/selector").asInt()).isEqualTo(5);
    assertThat(j.at("/expires_at/epoch_seconds").asLong()).isEqualTo(253_370_764_800L);
    assertThat(j.at("/expires_at/expired").asBoolean()).isFalse();
    assertThat(j.get("spend").asText()).isEqualTo("bound");
    assertThat(j.at("/properties/country").asText()).isEqualTo("US");
    assertThat(j.get("certificate").asText()).isEqualTo(scrip.certificate().toString());
    assertThat(j.get("encoded_length").asInt()).isEqualTo(ScripCodec.encode(scrip).length);
  }

  @Test
  void inspect_notBase64_failsWithOneLineAndExitCode2() {
    CliRun run = CliRun.of("scrip", "inspect", "not*a*token");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("millicent: malformed scrip: ").containsOnlyOnce("\n");
  }

  @Test
  void inspect_tokenWithTrailingByte_failsAsMalformed() {
    byte[] encoded = ScripCodec.encode(mint(2500, FAR_FUTURE, Map.of()));
    byte[] longer = java.util.Arrays.copyOf(encoded, encoded.length + 1);
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(longer);

    CliRun run = CliRun.of("scrip", "inspect", token);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("millicent: malformed scrip: ")
        .contains("1 more bytes")
        .containsOnlyOnce("\n");
  }

  @Test
  void inspect_missingToken_isAUsageError() {
    CliRun run = CliRun.of("scrip", "inspect");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("TOKEN");
  }
}
