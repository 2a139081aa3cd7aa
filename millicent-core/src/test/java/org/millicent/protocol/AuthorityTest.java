package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The canonical authority and the choice of a server's public origin (PROTOCOL.md, "Authority").
 */
class AuthorityTest {
  @Test
  void of_url_isLowerCaseWithAnExplicitPort() {
    assertThat(Authority.of(URI.create("HTTPS://Venetia.Example/pages/1")))
        .isEqualTo(new Authority("https", "venetia.example", 443));
    assertThat(Authority.of(URI.create("http://127.0.0.1:8080/x?y")))
        .isEqualTo(new Authority("http", "127.0.0.1", 8080));
    assertThat(Authority.of(URI.create("http://venetia.example/")).port()).isEqualTo(80);
  }

  @Test
  void ipv6_isBracketedInRfc5952Form() {
    assertThat(Authority.of(URI.create("http://[0:0:0:0:0:0:0:1]:8080/")).host())
        .isEqualTo("[::1]");
    assertThat(Authority.canonicalHost("[2001:DB8:0:0:1:0:0:1]")).isEqualTo("[2001:db8::1:0:0:1]");
    assertThat(Authority.canonicalHost("2001:db8:0:0:0:0:2:1")).isEqualTo("[2001:db8::2:1]");
    assertThat(Authority.canonicalHost("[2001:db8:0:1:1:1:1:1]"))
        .as("a single zero group is not shortened")
        .isEqualTo("[2001:db8:0:1:1:1:1:1]");
    assertThat(Authority.canonicalHost("[::]")).isEqualTo("[::]");
  }

  @Test
  void encode_isStr8SchemeStr8HostU16Port() {
    assertThat(HexFormat.of().formatHex(Authority.of("https", "Venetia.Example", -1).encode()))
        .isEqualTo("05" + "6874747073" + "0f" + "76656e657469612e6578616d706c65" + "01bb");
    assertThat(HexFormat.of().formatHex(Authority.of("http", "[0:0::1]", 8080).encode()))
        .isEqualTo("04" + "68747470" + "05" + "5b3a3a315d" + "1f90");
  }

  @Test
  void badParts_areRefused() {
    for (String host :
        new String[] {
          "",
          "a b",
          "a/b",
          "[::1",
          "::1]",
          "[fe80::1%eth0]",
          "[::ffff:1.2.3.4]",
          "[1:2]",
          "é.example"
        }) {
      assertThatThrownBy(() -> Authority.of("http", host, 80))
          .as(host)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Authority.of("ftp", "a", 21))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Authority.of("http", "a", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Authority.of("http", "a", 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Authority("http", "A", 80))
        .as("the record holds only the canonical form")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resolve_picksThePublicOriginTheHostHeaderNames() {
    PublicOrigins o =
        PublicOrigins.parse(
            List.of(
                "https://venetia.example", "http://venetia.example", "http://shop.example:8080"));
    assertThat(o.resolve("http", "venetia.example"))
        .contains(Authority.of("http", "venetia.example", 80));
    assertThat(o.resolve("https", "Venetia.Example"))
        .contains(Authority.of("https", "venetia.example", 443));
    assertThat(o.resolve("http", "venetia.example:443"))
        .as("explicit port names the https origin")
        .contains(Authority.of("https", "venetia.example", 443));
    assertThat(o.resolve("http", "shop.example:8080"))
        .contains(Authority.of("http", "shop.example", 8080));
    for (String bad :
        new String[] {
          "shop.example",
          "evil.example",
          "venetia.example:81",
          "venetia.example:",
          "venetia.example:x",
          "",
          "::1",
          "[::1]:99999"
        }) {
      assertThat(o.resolve("http", bad)).as(bad).isEmpty();
    }
    assertThat(o.resolve("http", null)).isEmpty();
  }

  @Test
  void defaults_areLoopbackAtThePortAndASpecificListeningAddress() {
    PublicOrigins d = PublicOrigins.defaults("http", "0.0.0.0", 8080);
    assertThat(d.resolve("http", "127.0.0.1:8080")).isPresent();
    assertThat(d.resolve("http", "localhost:8080")).isPresent();
    assertThat(d.resolve("http", "[::1]:8080")).isPresent();
    assertThat(d.resolve("http", "127.0.0.1:8081")).isEmpty();
    assertThat(d.resolve("http", "0.0.0.0:8080")).isEmpty();
    assertThat(PublicOrigins.defaults("http", "10.0.0.5", 8080).resolve("http", "10.0.0.5:8080"))
        .isPresent();
  }

  @Test
  void validate_namesEachBadUrl() {
    assertThat(
            PublicOrigins.validate(
                "public_urls",
                List.of(
                    "https://venetia.example",
                    "venetia.example",
                    "ftp://venetia.example",
                    "https://venetia.example/shop",
                    "https://user@venetia.example",
                    "http://[::1]:8080/")))
        .containsExactly(
            "public_urls[1]: expected an absolute http or https URL with a host, found venetia.example",
            "public_urls[2]: expected an absolute http or https URL with a host, found ftp://venetia.example",
            "public_urls[3]: expected an origin (scheme://host[:port]) with no path, found https://venetia.example/shop",
            "public_urls[4]: a public URL has no user info, found https://user@venetia.example");
  }
}
