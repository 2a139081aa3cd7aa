package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.protocol.Headers;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;
import org.millicent.vendor.testing.TestHttp;

/**
 * Prices apply to the path that is served (issue 12, part 2): a vendor with {@code /public/**} free
 * and {@code /pages/**} priced, in front of a static folder and in front of a real origin server,
 * gets non-canonical request targets over a raw socket (no client normalises them). None reaches
 * the priced page without payment, none gets a 5xx, and each refusal is a problem document.
 *
 * <p>The origin here is deliberately liberal, the worst an origin may be: it takes {@code \} for
 * {@code /}, drops {@code ;} parameters, decodes percent-escapes until nothing changes, resolves
 * dot segments and ignores case. Whatever the vendor forwards, the origin's reading of it must be
 * the path the vendor priced.
 */
class VendorPathsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREMIUM = "PREMIUM-CONTENT";

  @TempDir static Path folderData;
  @TempDir static Path originData;
  @TempDir static Path site;
  static TestOrigin origin;
  static VendorServer folderVendor;
  static VendorServer originVendor;
  static final List<String> forwarded = java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws IOException {
    Files.createDirectories(site.resolve("public/docs"));
    Files.createDirectories(site.resolve("pages/sub"));
    Files.writeString(site.resolve("public/index.html"), "public index");
    Files.writeString(site.resolve("public/a.html"), "public a");
    Files.writeString(site.resolve("public/docs/b.html"), "public b");
    Files.writeString(site.resolve("pages/premium.html"), PREMIUM + " static");
    Files.writeString(site.resolve("pages/index.html"), PREMIUM + " static index");
    Files.writeString(site.resolve("pages/sub/x.html"), PREMIUM + " static x");
    Files.writeString(site.resolve("pages/caf\u00e9 au lait.html"), PREMIUM + " static café");

    origin =
        TestOrigin.start(
            ex -> {
              String raw = ex.getRequestURI().getRawPath();
              forwarded.add(ex.getRequestURI().toString());
              String path = liberal(raw);
              ex.getResponseHeaders().add("Content-Type", "text/plain");
              TestOrigin.answer(
                  ex,
                  200,
                  (path.startsWith("/pages/") ? PREMIUM + " origin " + path : "origin " + path));
            });
    folderVendor =
        VendorServer.start(config().content(new Content.StaticFolder(site)).build(), folderData);
    originVendor =
        VendorServer.start(
            config().content(origin.content(Duration.ofSeconds(5))).build(), originData);
  }

  private static VendorConfigBuilder config() {
    return VendorConfig.builder("venetia")
        .port(0)
        .free("/public/**")
        .price("GET", "/pages/**", 100);
  }

  /** How a careless origin reads a path: as many ways to reach /pages/ as there are. */
  static String liberal(String raw) {
    String p = raw.replace('\\', '/');
    for (int i = 0; i < 4; i++) {
      String decoded;
      try {
        decoded = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        break;
      }
      decoded = decoded.replace('\\', '/');
      if (decoded.equals(p)) {
        break;
      }
      p = decoded;
    }
    StringBuilder noParams = new StringBuilder();
    for (String seg : p.split("/", -1)) {
      int semi = seg.indexOf(';');
      noParams.append(semi < 0 ? seg : seg.substring(0, semi)).append('/');
    }
    p = noParams.substring(0, noParams.length() - 1).replace("\0", "");
    p = p.replaceAll("/+", "/");
    try {
      p = new URI(null, null, p, null).normalize().getPath();
    } catch (java.net.URISyntaxException e) {
      return "/unreadable";
    }
    while (p.startsWith("/..")) {
      p = p.substring(3);
    }
    return p.toLowerCase(Locale.ROOT);
  }

  @AfterAll
  static void stop() {
    folderVendor.close();
    originVendor.close();
    origin.close();
  }

  /** Non-canonical forms of the priced page and of paths under the free folder. */
  static final List<String> FORMS =
      List.of(
          "/public/../pages/premium.html",
          "/public/./../pages/premium.html",
          "/public/docs/../../pages/premium.html",
          "/public/a.html/../../pages/premium.html",
          "/public/../../pages/premium.html",
          "/../pages/premium.html",
          "/./pages/premium.html",
          "/public/%2e%2e/pages/premium.html",
          "/public/%2E%2E/pages/premium.html",
          "/public/.%2e/pages/premium.html",
          "/public/%2e./pages/premium.html",
          "/public/%2e%2e%2fpages/premium.html",
          "/public/..%2fpages/premium.html",
          "/public/..%2Fpages/premium.html",
          "/public/%2e%2e%2f%2e%2e%2fpages/premium.html",
          "/public//../pages/premium.html",
          "/public/..//pages/premium.html",
          "//pages/premium.html",
          "/public/..\\pages/premium.html",
          "/public\\..\\pages\\premium.html",
          "/public/..%5cpages/premium.html",
          "/public/..%5Cpages/premium.html",
          "/public/..;/pages/premium.html",
          "/public;x=1/../pages/premium.html",
          "/public/%2e%2e;/pages/premium.html",
          "/pages;/premium.html",
          "/pages/premium.html;.css",
          "/public/%252e%252e/pages/premium.html",
          "/public/..%252fpages/premium.html",
          "/public/%00/../pages/premium.html",
          "/pages/premium.html%00.txt",
          "/public/..%00/pages/premium.html",
          "/public/%c0%ae%c0%ae/pages/premium.html",
          "/public/..%c0%afpages/premium.html",
          "/public/..%u2215pages/premium.html",
          "/public/%uff0e%uff0e/pages/premium.html",
          "/public/..%ef%bc%8fpages/premium.html",
          "/public/%zz/../pages/premium.html",
          "/public/.../pages/premium.html",
          "/public/..%09/pages/premium.html",
          "/public/%2e%2e/pages/premium.html?x=1",
          "/PUBLIC/../pages/premium.html",
          "/public/../PAGES/premium.html",
          "http://127.0.0.1/public/../pages/premium.html",
          "/public/%2e%2e/%70ages/premium.html");

  static Stream<Arguments> formsOnBothKinds() {
    return Stream.of("folder", "origin")
        .flatMap(kind -> FORMS.stream().map(form -> Arguments.of(kind, form)));
  }

  private static VendorServer vendor(String kind) {
    return "folder".equals(kind) ? folderVendor : originVendor;
  }

  @ParameterizedTest(name = "{0} GET {1}")
  @MethodSource("formsOnBothKinds")
  void nonCanonicalTarget_neverReachesThePricedPageUnpaid_andGetsNo5xx(String kind, String form)
      throws Exception {
    for (String method : List.of("GET", "HEAD")) {
      RawHttp.Response a = RawHttp.exchange(vendor(kind).url(), method, form);
      assertThat(a.status()).as("%s %s %s", kind, method, form).isBetween(200, 499);
      assertThat(a.body()).as("%s %s %s: %s", kind, method, form, a.body()).doesNotContain(PREMIUM);
      if ("GET".equals(method) && a.status() >= 400) {
        assertThat(a.header("Content-Type"))
            .as("%s %s %s: %s", kind, method, form, a.body())
            .startsWith(Problems.PROBLEM_JSON);
        String code = JSON.readTree(a.body()).get("code").asText();
        assertThat(code)
            .as("%s %s %s: %s", kind, method, form, a.body())
            .isIn("bad-path", "bad-request", "bad-query", "payment-required", "not-found");
      }
    }
  }

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        Arguments.of("/pages/premium.html", 402),
        Arguments.of("/%70ages/premium.html", 402),
        Arguments.of("/pages/%70remium.html", 402),
        Arguments.of("/pages/", 402),
        Arguments.of("/pages/sub/x.html", 402),
        Arguments.of("/pages/caf%C3%A9%20au%20lait.html", 402),
        Arguments.of("/public/a.html", 200),
        Arguments.of("/public/", 200),
        Arguments.of("/public/docs/b.html", 200),
        Arguments.of("/public/%61.html", 200));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonicalForms")
  void canonicalTargets_arePricedAsTheirDecodedPath(String target, int status) {
    for (String kind : List.of("folder", "origin")) {
      RawHttp.Response a = RawHttp.exchange(vendor(kind).url(), "GET", target);
      assertThat(a.status()).as("%s %s: %s", kind, target, a.body()).isEqualTo(status);
      assertThat(a.body()).doesNotContain(PREMIUM);
    }
  }

  /**
   * Paying for a non-canonical but unambiguous target: the MAC covers the target as sent, the price
   * is the canonical path's, and the canonical path is what is served and forwarded.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paidForms")
  void paidNonCanonicalTarget_isChargedAndServedAsItsCanonicalPath(
      String target, String served, String folderBody) {
    for (String kind : List.of("folder", "origin")) {
      VendorServer v = vendor(kind);
      long alice = OwnCustomers.of(v).newCustomerId();
      org.millicent.scrip.Scrip s =
          OwnCustomers.of(v)
              .mint(
                  1_000,
                  alice,
                  java.time.Instant.now()
                      .plus(Duration.ofHours(1))
                      .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      forwarded.clear();
      RawHttp.Response a =
          RawHttp.exchange(
              v.url(),
              "GET",
              target,
              "Authorization: "
                  + org.millicent.protocol.PaymentHeader.format(
                      new TestHttp(v.url())
                          .signed(
                              s,
                              OwnCustomers.of(v).customerSecret(alice),
                              "GET",
                              target,
                              new byte[0])));
      assertThat(a.status()).as("%s %s: %s", kind, target, a.body()).isEqualTo(200);
      assertThat(a.header(Headers.RECEIPT)).contains("price=100");
      if ("folder".equals(kind)) {
        assertThat(a.body()).isEqualTo(folderBody);
      } else {
        assertThat(forwarded).containsExactly(served);
        assertThat(a.body()).startsWith(PREMIUM + " origin ");
      }
    }
  }

  static Stream<Arguments> paidForms() {
    return Stream.of(
        Arguments.of("/public/../pages/premium.html", "/pages/premium.html", PREMIUM + " static"),
        Arguments.of(
            "/public/docs/./../../pages/sub/x.html", "/pages/sub/x.html", PREMIUM + " static x"),
        Arguments.of("/%70ages/premium.html", "/pages/premium.html", PREMIUM + " static"),
        Arguments.of(
            "/pages/caf%C3%A9%20au%20lait.html",
            "/pages/caf%C3%A9%20au%20lait.html", PREMIUM + " static caf\u00e9"));
  }

  @Test
  void theOriginIsSentTheCanonicalTarget() {
    forwarded.clear();
    RawHttp.Response a = RawHttp.exchange(originVendor.url(), "GET", "/public/%61.html?q=%7C1");
    assertThat(a.status()).isEqualTo(200);
    assertThat(forwarded).containsExactly("/public/a.html?q=%7C1");
  }
}
