package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
  private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

  @Test
  void parse_aFullConfiguration_readsEveryField() {
    BrokerConfig c =
        BrokerConfig.parse(
            """
            broker: bob
            host: 0.0.0.0
            port: 9000
            currency: USD
            database: jdbc:postgresql://127.0.0.1/x?user=u&password=hunter2
            admin_token: a-long-admin-token-of-enough-length
            scrip_lifetime_seconds: 3600
            accounts: {provider: prepaid, credit_limit_millicents: 0}
            statement_period: daily
            settlement_interval_seconds: 300
            vendors:
              - vendor: venetia
                url: http://127.0.0.1:8080
                supply: licensed
                discount_bps: 500
                token: broker-token-at-venetia
                settlement_token: venetia-token-at-broker
                licence: {admin_token: venetia-admin, key_ids: 2}
                public_urls: [https://venetia.example, "https://venetia.example:8443"]
              - vendor: walter
                url: https://walter.example
                supply: warehouse
                token: broker-token-at-walter
                customer_secret: %s
                lot: {count: 50, value_millicents: 500}
            """
                .formatted(SECRET),
            Path.of("."));
    assertThat(c.brokerId()).isEqualTo("bob");
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.provider()).isEqualTo("prepaid");
    assertThat(c.statementPeriod()).isEqualTo(StatementPeriod.DAILY);
    assertThat(c.settlementInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.vendors()).hasSize(2);
    VendorConfig v = c.vendor("venetia").orElseThrow();
    assertThat(v.supply()).isEqualTo(Supply.LICENSED);
    assertThat(v.licenceKeyIds()).isEqualTo(2);
    assertThat(v.settlementToken()).contains("venetia-token-at-broker");
    assertThat(v.origins())
        .containsExactly(
            java.net.URI.create("https://venetia.example"),
            java.net.URI.create("https://venetia.example:8443"));
    VendorConfig w = c.vendor("walter").orElseThrow();
    assertThat(w.lotCount()).isEqualTo(50);
    assertThat(w.customerSecret().orElseThrow().length()).isEqualTo(32);
    assertThat(w.origins()).containsExactly(java.net.URI.create("https://walter.example"));
    assertThat(c.toString())
        .doesNotContain("hunter2")
        .doesNotContain("broker-token")
        .doesNotContain("a-long-admin-token")
        .doesNotContain(SECRET);
  }

  @Test
  void parse_emptyText_isTheZeroConfigurationBroker() {
    BrokerConfig c = BrokerConfig.parse("", Path.of("."));
    assertThat(c).isEqualTo(BrokerConfig.defaults());
    assertThat(c.port()).isEqualTo(8081);
  }

  @Test
  void parse_manyMistakes_reportsEachOnceTogether() {
    assertThatThrownBy(
            () ->
                BrokerConfig.parse(
                    """
                    broker: Bob!
                    port: -1
                    accounts: {provider: cash}
                    vendors:
                      - vendor: v
                        url: nope
                        supply: licensed
                        discount_bps: 10000
                        public_urls: [ftp://v.example, 7]
                      - vendor: v
                        url: http://x
                        supply: warehouse
                    """,
                    Path.of(".")))
        .isInstanceOfSatisfying(
            BrokerConfigException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("broker:"))
                    .anyMatch(p -> p.startsWith("port:"))
                    .anyMatch(p -> p.startsWith("accounts.provider:"))
                    .anyMatch(p -> p.startsWith("vendors[0].url:"))
                    .anyMatch(p -> p.startsWith("vendors[0].discount_bps:"))
                    .anyMatch(p -> p.startsWith("vendors[0].public_urls[0]:"))
                    .anyMatch(p -> p.startsWith("vendors[0].public_urls[1]:"))
                    .anyMatch(p -> p.startsWith("vendors[1].vendor:") && p.contains("twice"))
                    .anyMatch(p -> p.startsWith("vendors[1].token:")));
  }

  @Test
  void parse_httpTimeouts_areReadAndDefaulted_andNonsenseIsNamed() {
    BrokerConfig c =
        BrokerConfig.parse("http_timeouts: {idle_seconds: 120, header_seconds: 5}", Path.of("."));
    assertThat(c.httpTimeouts())
        .isEqualTo(
            new org.millicent.http.HttpTimeouts(
                java.time.Duration.ofSeconds(120), java.time.Duration.ofSeconds(5)));
    assertThat(BrokerConfig.defaults().httpTimeouts())
        .isEqualTo(org.millicent.http.HttpTimeouts.DEFAULT);
    assertThatThrownBy(
            () -> BrokerConfig.parse("http_timeouts: {header_seconds: 0, slow: 1}", Path.of(".")))
        .isInstanceOf(BrokerConfigException.class)
        .hasMessageContaining("http_timeouts.slow")
        .hasMessageContaining("http_timeouts.header_seconds");
  }

  @Test
  void parse_notYaml_isOneClearProblem() {
    assertThatThrownBy(() -> BrokerConfig.parse("vendors: [", Path.of(".")))
        .isInstanceOf(BrokerConfigException.class)
        .hasMessageContaining("not valid YAML");
  }
}
