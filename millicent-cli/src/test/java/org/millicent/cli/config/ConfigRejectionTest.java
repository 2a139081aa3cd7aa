package org.millicent.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.broker.BrokerConfigException;
import org.millicent.cli.config.ConfigFiles.Server;
import org.millicent.vendor.config.ConfigException;

/**
 * Broken configuration files, each refused by the loader with a message naming the file and the
 * key, and by the JSON Schema with an error naming the key: wrong types, values out of range or of
 * the wrong form, unknown keys, missing required keys. A second table holds what only the loader
 * can refuse (docs/CONFIG.md, "What only the server checks").
 */
class ConfigRejectionTest {
  private static final String VENDOR = "vendor: venetia\nfree: [\"/\"]\n";
  private static final String BROKER = "broker: bob\n";
  private static final String LICENSED =
      BROKER + "vendors:\n  - {vendor: venetia, url: \"http://127.0.0.1:8080\", supply: licensed";
  private static final String WAREHOUSE =
      BROKER
          + "vendors:\n  - {vendor: walter, url: \"http://127.0.0.1:8082\", supply: warehouse,"
          + " token: bob-token-at-walter";

  @TempDir Path dir;

  /**
   * One broken file.
   *
   * @param key the key the loader must name, as it names it ({@code brokers[0].token})
   * @param secret a value that no message may show, or null
   */
  record Case(Server server, String key, String yaml, String secret) {
    Case(Server server, String key, String yaml) {
      this(server, key, yaml, null);
    }

    @Override
    public String toString() {
      return server + " " + key + ": " + yaml.replace("\n", " ").strip();
    }
  }

  static Stream<Case> refusedByBoth() {
    Server v = Server.VENDOR;
    Server b = Server.BROKER;
    return Stream.of(
        // vendor: missing, unknown, wrong type, out of range, wrong form
        new Case(v, "vendor", "free: [\"/\"]\n"),
        new Case(v, "prices", "vendor: venetia\nprices: []\n"),
        new Case(v, "colour", VENDOR + "colour: blue\n"),
        new Case(v, "vendor", "vendor: Venetia!\nfree: [\"/\"]\n"),
        new Case(v, "vendor", "vendor: 42\nfree: [\"/\"]\n"),
        new Case(v, "currency", VENDOR + "currency: usd\n"),
        new Case(v, "host", VENDOR + "host:\n"),
        new Case(v, "port", VENDOR + "port: \"8080\"\n"),
        new Case(v, "port", VENDOR + "port: 70000\n"),
        new Case(v, "port", VENDOR + "port: 4294975376\n"),
        new Case(v, "public_urls[0]", VENDOR + "public_urls: [\"https://venetia.example/shop\"]\n"),
        new Case(v, "public_urls", VENDOR + "public_urls: https://venetia.example\n"),
        new Case(v, "scrip_lifetime", VENDOR + "scrip_lifetime: 30\n"),
        new Case(v, "scrip_lifetime", VENDOR + "scrip_lifetime: forever\n"),
        new Case(v, "retry_wait", VENDOR + "retry_wait: 61\n"),
        new Case(v, "variants", VENDOR + "variants: []\n"),
        new Case(v, "variants[0]", VENDOR + "variants: [telepathic]\n"),
        new Case(v, "prices[0].path", "vendor: v\nprices: [{price_millicents: 5}]\n"),
        new Case(v, "prices[0].path", "vendor: v\nprices: [{path: pages, price_millicents: 5}]\n"),
        new Case(v, "prices[0].path", "vendor: v\nprices: [{path: /***, price_millicents: 5}]\n"),
        new Case(
            v,
            "prices[0].method",
            "vendor: v\nprices: [{method: HEAD, path: /, price_millicents: 5}]\n"),
        new Case(v, "prices[0].price_millicents", "vendor: v\nprices: [{path: /}]\n"),
        new Case(
            v,
            "prices[0].price_millicents",
            "vendor: v\nprices: [{path: /, price_millicents: -5}]\n"),
        new Case(
            v,
            "prices[0].price_millicents",
            "vendor: v\nprices: [{path: /, price_millicents: \"5\"}]\n"),
        new Case(
            v,
            "prices[0].colour",
            "vendor: v\nprices: [{path: /, price_millicents: 5, colour: red}]\n"),
        new Case(v, "free[0]", "vendor: v\nfree: [42]\n"),
        new Case(v, "price_rules[0].property", VENDOR + "price_rules: [{property: Country}]\n"),
        new Case(
            v,
            "price_rules[0].rates_bps.DE",
            VENDOR + "price_rules: [{property: country, rates_bps: {DE: 100001}}]\n"),
        new Case(
            v,
            "price_rules[0].default_bps",
            VENDOR + "price_rules: [{property: country, default_bps: -1}]\n"),
        new Case(
            v, "content", VENDOR + "content: {sample: true, origin: \"http://127.0.0.1:9000\"}\n"),
        new Case(v, "content", VENDOR + "content: {}\n"),
        new Case(v, "content.sample", VENDOR + "content: {sample: false}\n"),
        new Case(v, "content.origin", VENDOR + "content: {origin: \"ftp://127.0.0.1\"}\n"),
        new Case(
            v, "content.origin_timeout", VENDOR + "content: {sample: true, origin_timeout: 5s}\n"),
        new Case(
            v,
            "content.origin_timeout",
            VENDOR + "content: {origin: \"http://127.0.0.1:9000\", origin_timeout: 0}\n"),
        new Case(v, "content.static", VENDOR + "content: {static: \"\"}\n"),
        new Case(
            v,
            "brokers[0].id",
            VENDOR
                + "brokers: [{id: Bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: 5}]\n"),
        new Case(
            v,
            "brokers[0].url",
            VENDOR + "brokers: [{id: bob, token: bob-token-at-venetia, customer_id: 5}]\n"),
        new Case(
            v,
            "brokers[0].token",
            VENDOR + "brokers: [{id: bob, url: \"http://b\", token: short, customer_id: 5}]\n"),
        new Case(
            v,
            "brokers[0].token",
            VENDOR
                + "brokers: [{id: bob, url: \"http://b\", token: 98765432109876543210, customer_id: 5}]\n",
            "98765432109876543210"),
        new Case(
            v,
            "brokers[0].customer_id",
            VENDOR + "brokers: [{id: bob, url: \"http://b\", token: bob-token-at-venetia}]\n"),
        new Case(
            v,
            "brokers[0].customer_id",
            VENDOR
                + "brokers: [{id: bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: \"+5\"}]\n"),
        new Case(
            v,
            "brokers[0].customer_id",
            VENDOR
                + "brokers: [{id: bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: 72057594037927936}]\n"),
        new Case(
            v,
            "brokers[0].discount_bps",
            VENDOR
                + "brokers: [{id: bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: 5, discount_bps: 10001}]\n"),
        new Case(v, "database", VENDOR + "database: \" \"\n"),
        new Case(v, "database", VENDOR + "database: \"jdbc:mysql://127.0.0.1/v\"\n"),
        new Case(v, "tls.password", VENDOR + "tls: {keystore: vendor.p12}\n"),
        new Case(v, "tls", VENDOR + "tls: vendor.p12\n"),
        new Case(v, "admin_token", VENDOR + "admin_token: too-short\n"),
        new Case(
            v, "admin_token", VENDOR + "admin_token: 123456789012345678\n", "123456789012345678"),
        new Case(v, "http_timeouts.idle", VENDOR + "http_timeouts: {idle: 0}\n"),
        new Case(v, "http_timeouts.header", VENDOR + "http_timeouts: {header: 86401}\n"),
        new Case(v, "http_timeouts.slow", VENDOR + "http_timeouts: {slow: 1s}\n"),
        new Case(v, "max_answer_bytes", VENDOR + "max_answer_bytes: 0\n"),
        new Case(v, "max_answer_bytes", VENDOR + "max_answer_bytes: 1_073_741_825\n"),
        new Case(v, "max_answer_bytes", VENDOR + "max_answer_bytes: 16MiB\n"),
        // broker
        new Case(b, "colour", BROKER + "colour: blue\n"),
        new Case(b, "broker", "broker: Bob!\n"),
        new Case(b, "host", BROKER + "host: \"\"\n"),
        new Case(b, "port", BROKER + "port: \"8081\"\n"),
        new Case(b, "port", BROKER + "port: -1\n"),
        new Case(b, "public_url", BROKER + "public_url: \"ftp://bob.example\"\n"),
        new Case(b, "currency", BROKER + "currency: dollars\n"),
        new Case(b, "database", BROKER + "database: \"jdbc:mysql://127.0.0.1/b\"\n"),
        new Case(b, "tls.keystore", BROKER + "tls: {password: x}\n"),
        new Case(b, "tls.colour", BROKER + "tls: {keystore: b.p12, password: x, colour: red}\n"),
        new Case(b, "admin_token", BROKER + "admin_token:\n"),
        new Case(
            b, "admin_token", BROKER + "admin_token: 123456789012345678\n", "123456789012345678"),
        new Case(b, "scrip_lifetime_seconds", BROKER + "scrip_lifetime_seconds: 59\n"),
        new Case(b, "scrip_lifetime_seconds", BROKER + "scrip_lifetime_seconds: 1d\n"),
        new Case(b, "accounts", BROKER + "accounts: [aggregating]\n"),
        new Case(b, "accounts.provider", BROKER + "accounts: {provider: cash}\n"),
        new Case(
            b,
            "accounts.credit_limit_millicents",
            BROKER + "accounts: {credit_limit_millicents: -1}\n"),
        new Case(b, "statement_period", BROKER + "statement_period: weekly\n"),
        new Case(b, "settlement_interval_seconds", BROKER + "settlement_interval_seconds: -1\n"),
        new Case(
            b, "http_timeouts.header_seconds", BROKER + "http_timeouts: {header_seconds: 0}\n"),
        new Case(
            b, "http_timeouts.idle_seconds", BROKER + "http_timeouts: {idle_seconds: 86401}\n"),
        new Case(b, "vendors", BROKER + "vendors: {venetia: licensed}\n"),
        new Case(
            b, "vendors[0].vendor", BROKER + "vendors: [{url: \"http://v\", supply: licensed}]\n"),
        new Case(b, "vendors[0].url", BROKER + "vendors: [{vendor: v, supply: licensed}]\n"),
        new Case(b, "vendors[0].supply", BROKER + "vendors: [{vendor: v, url: \"http://v\"}]\n"),
        new Case(
            b,
            "vendors[0].supply",
            BROKER + "vendors: [{vendor: v, url: \"http://v\", supply: borrowed}]\n"),
        new Case(b, "vendors[0].colour", LICENSED + ", colour: red}\n"),
        new Case(b, "vendors[0].discount_bps", LICENSED + ", discount_bps: 10000}\n"),
        new Case(b, "vendors[0].token", LICENSED + ", token: \" \"}\n"),
        new Case(
            b,
            "vendors[0].settlement_token",
            LICENSED + ", settlement_token: 1234567890123}\n",
            "1234567890123"),
        new Case(
            b,
            "vendors[0].licence.key_ids",
            LICENSED + ", licence: {admin_token: venetia-admin-token, key_ids: 17}}\n"),
        new Case(b, "vendors[0].licence.colour", LICENSED + ", licence: {colour: red}}\n"),
        new Case(b, "vendors[0].lot", LICENSED + ", lot: {count: 10}}\n"),
        new Case(
            b,
            "vendors[0].customer_secret",
            LICENSED + ", customer_secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8}\n"),
        new Case(b, "vendors[0].public_urls[0]", LICENSED + ", public_urls: [7]}\n"),
        new Case(
            b,
            "vendors[0].token",
            BROKER + "vendors: [{vendor: w, url: \"http://w\", supply: warehouse}]\n"),
        new Case(b, "vendors[0].licence", WAREHOUSE + ", licence: {key_ids: 1}}\n"),
        new Case(b, "vendors[0].customer_secret", WAREHOUSE + ", customer_secret: c2hvcnQ}\n"),
        new Case(b, "vendors[0].lot.count", WAREHOUSE + ", lot: {count: 0}}\n"),
        new Case(
            b,
            "vendors[0].lot.value_millicents",
            WAREHOUSE + ", lot: {value_millicents: 1000000000001}}\n"));
  }

  static Stream<Case> refusedByTheLoaderOnly() {
    Server v = Server.VENDOR;
    Server b = Server.BROKER;
    return Stream.of(
        new Case(v, "port", VENDOR + "port: 8080\nport: 8081\n"),
        new Case(v, "retry_wait", VENDOR + "retry_wait: 2m\n"),
        new Case(
            v,
            "brokers[1].token",
            VENDOR
                + "brokers:\n"
                + "  - {id: bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: 5}\n"
                + "  - {id: carol, url: \"http://c\", token: bob-token-at-venetia, customer_id: 6}\n"),
        new Case(
            v,
            "brokers[1].id",
            VENDOR
                + "brokers:\n"
                + "  - {id: bob, url: \"http://b\", token: bob-token-at-venetia, customer_id: 5}\n"
                + "  - {id: bob, url: \"http://c\", token: carol-token-at-venetia, customer_id: 6}\n"),
        new Case(
            b,
            "vendors[1].vendor",
            LICENSED + "}\n  - {vendor: venetia, url: \"http://v\", supply: licensed}\n"),
        new Case(
            b,
            "vendors[0].vendor",
            "broker: bob\nvendors: [{vendor: bob, url: \"http://v\", supply: licensed}]\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByBoth")
  void brokenFile_isRefusedByTheLoaderAndTheSchema_eachNamingTheKey(Case c) {
    assertLoaderRefuses(c);
    String leaf = c.key().replaceAll("\\[\\d+]", "");
    leaf = leaf.substring(leaf.lastIndexOf('.') + 1);
    String named = leaf;
    assertThat(c.server().schemaErrors(c.yaml()))
        .as("schema errors for %s", c)
        .isNotEmpty()
        .anySatisfy(e -> assertThat(e.toString()).contains(named));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheLoaderOnly")
  void whatOnlyTheServerChecks_isRefusedByTheLoader(Case c) {
    assertLoaderRefuses(c);
  }

  @org.junit.jupiter.api.Test
  void aNumberTooLargeForItsField_isReportedAsWritten_notAsWrappedOrClamped() {
    assertThat(
            catchThrowable(
                () ->
                    Server.VENDOR.load(
                        dir,
                        VENDOR
                            + "port: 4294975376\n"
                            + "brokers: [{id: bob, url: \"http://b\", token: bob-token-at-venetia,"
                            + " customer_id: 5, discount_bps: 1000000000000}]\n")))
        .hasMessageContaining("port: expected 0..65535, found 4294975376")
        .hasMessageContaining("brokers[0].discount_bps: expected 0..10000, found 1000000000000");
  }

  private void assertLoaderRefuses(Case c) {
    Throwable t = catchThrowable(() -> c.server().load(dir, c.yaml()));
    assertThat(t).as("the loader accepted %s", c).isNotNull();
    List<String> problems =
        switch (t) {
          case ConfigException e -> e.errors();
          case BrokerConfigException e -> e.problems();
          default -> throw new AssertionError("not a configuration error: " + t, t);
        };
    assertThat(t.getMessage()).as("names the file").startsWith(dir.toString());
    assertThat(problems)
        .as("problems for %s", c)
        .anySatisfy(p -> assertThat(p).startsWith(c.key() + ": "));
    if (c.secret() != null) {
      assertThat(t.getMessage()).as("shows no secret").doesNotContain(c.secret());
    }
  }
}
