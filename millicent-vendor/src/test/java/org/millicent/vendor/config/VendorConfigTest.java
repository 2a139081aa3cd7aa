package org.millicent.vendor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.protocol.Variant;

class VendorConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("vendor.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void load_fullValidFile_readsEverySetting() throws IOException {
    Files.createDirectories(dir.resolve("site"));
    VendorConfig c =
        VendorConfig.load(
            yaml(
                """
                vendor: venetia
                currency: EUR
                host: 0.0.0.0
                port: 9090
                public_urls: ["https://venetia.example", "http://venetia.example:9090"]
                scrip_lifetime: 12h
                retry_wait: 2s
                variants: [signed]
                prices:
                  - {method: GET, path: "/pages/*", price_millicents: 100}
                  - {path: "/api/**", price_millicents: 2_500}
                free: ["/", "/index.html"]
                price_rules:
                  - {property: country, rates_bps: {DE: 1900, FR: 2000}, default_bps: 0}
                content:
                  static: site
                brokers:
                  - {id: bob, url: "http://127.0.0.1:8081", token: "0123456789abcdef0", customer_id: "5", discount_bps: 500}
                database: jdbc:postgresql://127.0.0.1:5432/test?user=postgres
                admin_token: "abcdefabcdefabcdef"
                """));
    assertThat(c.vendor()).isEqualTo("venetia");
    assertThat(c.currency()).isEqualTo("EUR");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.publicUrls())
        .containsExactly("https://venetia.example", "http://venetia.example:9090");
    assertThat(c.scripLifetime()).isEqualTo(Duration.ofHours(12));
    assertThat(c.retryWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.variants()).containsExactly(Variant.SIGNED);
    assertThat(c.prices())
        .containsExactly(new Price("GET", "/pages/*", 100), new Price("GET", "/api/**", 2_500));
    assertThat(c.freePaths()).containsExactly("/", "/index.html");
    assertThat(c.priceRules().getFirst().surcharge(100, "DE")).isEqualTo(19);
    assertThat(c.content()).isEqualTo(new Content.StaticFolder(dir.resolve("site")));
    assertThat(c.brokers().getFirst().customerId()).isEqualTo(5);
    assertThat(c.database()).startsWith("jdbc:postgresql:");
    assertThat(c.toString())
        .doesNotContain("0123456789abcdef0")
        .doesNotContain("abcdefabcdefabcdef");
  }

  @Test
  void load_fileWithManyMistakes_namesEveryOneOfThem() throws IOException {
    Path f =
        yaml(
            """
            vendor: Venetia!
            currency: dollars
            scrip_lifetime: forever
            retry_wait: 2m
            public_urls: ["venetia.example", "https://venetia.example/shop", 7]
            variants: [signed, telepathic]
            prices:
              - {method: FETCH, path: "pages/*", price_millicents: -5}
            free: [42]
            price_rules:
              - {property: "Country", rates_bps: {DE: 200000}}
            content:
              static: no-such-folder
            brokers:
              - {id: bob, url: "ftp://x", token: short, customer_id: "72057594037927936", discount_bps: 20000}
              - {id: bob, url: "http://b", token: "0123456789abcdef0", customer_id: "x"}
            tls: {keystore: missing.p12}
            colour: blue
            """);
    assertThatThrownBy(() -> VendorConfig.load(f))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(String.join("\n", e.errors()))
                    .contains("vendor:")
                    .contains("currency:")
                    .contains("scrip_lifetime:")
                    .contains("retry_wait: expected 0s..60s")
                    .contains(
                        "public_urls[0]: expected an absolute http or https URL with a host,"
                            + " found venetia.example")
                    .contains(
                        "public_urls[1]: expected an origin (scheme://host[:port]) with no path")
                    .contains("public_urls[2]: expected a URL, found the number 7")
                    .contains("variants[1]:")
                    .contains("prices[0].method:")
                    .contains("prices[0].path:")
                    .contains("prices[0].price_millicents:")
                    .contains("free[0]:")
                    .contains("price_rules[0].property:")
                    .contains("price_rules[0].rates_bps.DE:")
                    .contains("content.static:")
                    .contains("brokers[0].url:")
                    .contains("brokers[0].token:")
                    .contains("brokers[0].customer_id:")
                    .contains("brokers[0].discount_bps:")
                    .contains("brokers[1].id: broker bob is listed twice")
                    .contains("brokers[1].customer_id:")
                    .contains("tls.password:")
                    .contains("tls.keystore:")
                    .contains("colour: unknown setting"));
  }

  @Test
  void maxAnswerBytes_isReadAndDefaulted_andNonsenseIsRefusedByName() throws IOException {
    String base = "vendor: venetia\nfree: [\"/\"]\n";
    assertThat(VendorConfig.load(yaml(base)).maxAnswerBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(VendorConfig.load(yaml(base + "max_answer_bytes: 1_048_576\n")).maxAnswerBytes())
        .isEqualTo(1_048_576);
    assertThat(VendorConfig.load(yaml(base + "max_answer_bytes: 1_048_576\n")).toString())
        .contains("max_answer_bytes=1048576");

    assertThatThrownBy(() -> VendorConfig.load(yaml(base + "max_answer_bytes: 0\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_answer_bytes: expected 1..1073741824")
        .hasMessageContaining("found 0");
    assertThatThrownBy(() -> VendorConfig.load(yaml(base + "max_answer_bytes: 4_294_967_297\n")))
        .hasMessageContaining("max_answer_bytes: expected 1..1073741824")
        .hasMessageContaining("found 4294967297");
    assertThatThrownBy(() -> VendorConfig.load(yaml(base + "max_answer_bytes: \"16\"\n")))
        .hasMessageContaining("max_answer_bytes: expected a whole number")
        .hasMessageContaining("without quotes");
    assertThatThrownBy(() -> VendorConfig.load(yaml(base + "max_answer_bytes: 16MiB\n")))
        .hasMessageContaining("max_answer_bytes: expected a whole number");
    assertThatThrownBy(() -> VendorConfig.builder("venetia").free("/").maxAnswerBytes(-1).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_answer_bytes: expected 1..1073741824")
        .hasMessageContaining("found -1");
  }

  @Test
  void load_unreadableFile_isAConfigException() {
    assertThatThrownBy(() -> VendorConfig.load(dir.resolve("absent.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void load_originWithTimeout_isAReverseProxy() throws IOException {
    VendorConfig c =
        VendorConfig.load(
            yaml(
                """
                vendor: v
                prices: [{method: "*", path: "/**", price_millicents: 10}]
                content: {origin: "http://127.0.0.1:9000", origin_timeout: 5s}
                """));
    assertThat(c.content())
        .isEqualTo(new Content.Origin(URI.create("http://127.0.0.1:9000"), Duration.ofSeconds(5)));
  }

  @Test
  void load_httpTimeouts_areReadAndDefaulted_andNonsenseIsNamed() throws IOException {
    VendorConfig c =
        VendorConfig.load(
            yaml(
                """
                vendor: v
                free: ["/**"]
                http_timeouts: {idle: 2m, header: 5s}
                """));
    assertThat(c.httpTimeouts())
        .isEqualTo(
            new org.millicent.http.HttpTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(5)));
    assertThat(VendorConfig.sampleBuilder().build().httpTimeouts())
        .isEqualTo(org.millicent.http.HttpTimeouts.DEFAULT);
    assertThatThrownBy(
            () ->
                VendorConfig.load(
                    yaml(
                        """
                        vendor: v
                        free: ["/**"]
                        http_timeouts: {header: 0s, slow: 1s}
                        """)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http_timeouts.slow")
        .hasMessageContaining("http_timeouts.header");
  }

  @Test
  void build_aPricedHead_isRefusedWithTheReason() {
    assertThatThrownBy(() -> VendorConfig.builder("v").price("HEAD", "/x", 10).build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(String.join("\n", e.errors()))
                    .contains("prices[0].method: HEAD cannot be priced"));
  }

  @Test
  void builder_emptyCatalogueAndNoVariants_areBothReported() {
    assertThatThrownBy(() -> VendorConfig.builder("v").variants(java.util.Set.of()).build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .hasSize(2)
                    .anySatisfy(m -> assertThat(m).startsWith("prices:"))
                    .anySatisfy(m -> assertThat(m).startsWith("variants:")));
  }

  @Test
  void sample_isValidAndPricesFromATenthToFiveCents() {
    VendorConfig c = VendorConfig.sample();
    assertThat(c.prices())
        .extracting(Price::priceMillicents)
        .containsExactly(100L, 500L, 1_000L, 2_500L, 5_000L);
    assertThat(c.freePaths()).contains("/");
  }

  @Test
  void priceRule_roundsHalfUp() {
    PriceRule tax = new PriceRule("country", java.util.Map.of("DE", 1900L), 0);
    assertThat(tax.surcharge(150, "DE")).isEqualTo(29); // 28.5
    assertThat(tax.surcharge(150, "US")).isZero();
    assertThat(tax.surcharge(150, null)).isZero();
  }
}
