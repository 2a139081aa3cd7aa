package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.VendorConfig;

class CatalogueTest {
  private final Catalogue catalogue =
      new Catalogue(
          VendorConfig.builder("v")
              .free("/")
              .free("/public/**")
              .price("GET", "/pages/*", 100)
              .price("*", "/api/**", 1_000)
              .price("POST", "/upload", 50)
              .priceRule(new PriceRule("country", Map.of("DE", 1900L), 500))
              .build());

  private static ScripBody scrip(Map<String, String> props) {
    return new ScripBody(
        "v",
        10_000,
        new ScripId(0, 1),
        1,
        Instant.ofEpochSecond(2_000_000_000L),
        ScripProperties.of(props));
  }

  @Test
  void singleStar_matchesOneSegmentOnly() {
    assertThat(catalogue.match("GET", "/pages/a.html").basePriceMillicents()).isEqualTo(100);
    assertThat(catalogue.match("GET", "/pages/a/b.html")).isNull();
  }

  @Test
  void head_isPricedAsTheGetItStandsFor() {
    assertThat(catalogue.match("HEAD", "/pages/a.html"))
        .isSameAs(catalogue.match("GET", "/pages/a.html"));
    assertThat(catalogue.match("HEAD", "/pages/a.html").paidMethods()).isEqualTo("GET");
    assertThat(catalogue.match("HEAD", "/api/x").paidMethods()).contains("GET", "DELETE");
    assertThat(catalogue.match("HEAD", "/").free()).isTrue();
    assertThat(catalogue.match("HEAD", "/upload")).isNull();
  }

  @Test
  void doubleStar_matchesAcrossSegments_forAnyMethod() {
    assertThat(catalogue.match("DELETE", "/api/v1/items/7").basePriceMillicents()).isEqualTo(1_000);
  }

  @Test
  void method_mustMatchUnlessStar() {
    assertThat(catalogue.match("POST", "/pages/a.html")).isNull();
    assertThat(catalogue.match("POST", "/upload").basePriceMillicents()).isEqualTo(50);
    assertThat(catalogue.match("GET", "/upload")).isNull();
  }

  @Test
  void freePaths_areFreeForEveryMethod() {
    assertThat(catalogue.match("GET", "/").free()).isTrue();
    assertThat(catalogue.match("POST", "/public/x/y").free()).isTrue();
  }

  @Test
  void patternCharacters_areLiteral() {
    assertThat(
            new Catalogue(VendorConfig.builder("v").price("GET", "/a.b/*", 1).build())
                .match("GET", "/axb/c"))
        .isNull();
  }

  @Test
  void priceRules_addTheSurchargeByProperty() {
    Catalogue.Entry e = catalogue.match("GET", "/pages/a.html");
    assertThat(e.pricer().priceMillicents(scrip(Map.of("country", "DE")))).isEqualTo(119);
    assertThat(e.pricer().priceMillicents(scrip(Map.of("country", "US")))).isEqualTo(105);
    assertThat(e.pricer().priceMillicents(scrip(Map.of()))).isEqualTo(105);
  }

  @Test
  void aPriceTheApplicationSets_getsTheSurcharges_andHeadIsPricedAsGet() {
    Catalogue c =
        new Catalogue(
            VendorConfig.builder("v")
                .free("/")
                .priceRule(new PriceRule("country", Map.of("DE", 1_900L), 0))
                .build());

    Catalogue.Entry e = c.priced("HEAD", "/anything", 1_000);

    assertThat(e.method()).isEqualTo("GET");
    assertThat(e.basePriceMillicents()).isEqualTo(1_000);
    assertThat(e.free()).isFalse();
    assertThat(e.pricer().priceMillicents(scrip(Map.of("country", "DE")))).isEqualTo(1_190);
    assertThat(e.pricer().priceMillicents(scrip(Map.of()))).isEqualTo(1_000);
    assertThat(c.match("GET", "/anything")).as("the configuration does not price it").isNull();
  }
}
