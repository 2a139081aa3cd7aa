package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.millicent.bytes.Base64Url;
import org.millicent.protocol.Variant;
import org.millicent.vendor.PaidHeaders.Invalid;
import org.millicent.vendor.PaidHeaders.Reason;

/**
 * The Millicent-Paid-* headers: the golden vectors of docs/origin-vectors.json (made by an
 * independent Python implementation) against {@link PaidHeaders} and the JDK-only snippet of
 * docs/ORIGIN.md ({@link PaidCheck}), the canonical form, and every refusal of {@link
 * PaidHeaders#verify}.
 */
class PaidHeadersTest {
  private static final Path ROOT = root();
  private static final byte[] KEY =
      "3f1c5a7e9b2d4f6081a3c5e7092b4d6f8193a5c7e90b2d4f6183a5c7e9fb1d3f"
          .getBytes(StandardCharsets.US_ASCII);
  private static final long AT = 1_796_630_400L;
  private static final InstantSource NOW = InstantSource.fixed(Instant.ofEpochSecond(AT + 30));
  private static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final VerifiedPayment PAYMENT =
      new VerifiedPayment(
          1_190,
          -1L,
          Map.of("country", "DE", "note", "a&b=c ü"),
          "3:9000000001",
          Variant.PRIVATE,
          "Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo",
          true);

  static final List<String> SIGNED_AND_SIGNATURE = signedAndSignature();

  private static List<String> signedAndSignature() {
    List<String> all = new ArrayList<>(PaidHeaders.SIGNED);
    all.add(PaidHeaders.SIGNATURE);
    return all;
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/origin-vectors.json"))) {
      p = p.getParent();
    }
    assertThat(p).as("docs/origin-vectors.json above the working folder").isNotNull();
    return p;
  }

  private static Map<String, List<String>> asRequest(Map<String, String> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
    return out;
  }

  private static Map<String, String> signed() {
    return PaidHeaders.sign(PAYMENT, "POST", "/shop/api/buy?item=7&qty=2", AT, KEY);
  }

  private static VerifiedPayment verify(Map<String, String> headers) throws Invalid {
    return PaidHeaders.verify(
        "POST", "/shop/api/buy?item=7&qty=2", asRequest(headers), KEY, NOW, MAX_AGE);
  }

  @Test
  void goldenVectors_areWhatTheGatewaySigns_andBothVerifiersAcceptThem() throws Exception {
    JsonNode vectors =
        new ObjectMapper()
            .readTree(ROOT.resolve("docs/origin-vectors.json").toFile())
            .get("vectors");
    assertThat(vectors).hasSizeGreaterThanOrEqualTo(2);
    for (JsonNode v : vectors) {
      byte[] key = v.get("key").asText().getBytes(StandardCharsets.US_ASCII);
      Map<String, String> props = new TreeMap<>();
      v.get("properties").properties().forEach(e -> props.put(e.getKey(), e.getValue().asText()));
      VerifiedPayment p =
          new VerifiedPayment(
              v.get("price_millicents").asLong(),
              Long.parseUnsignedLong(v.get("customer_id").asText()),
              props,
              v.get("scrip_id").asText(),
              Variant.fromWireName(v.get("variant").asText()),
              v.get("payment_id").asText(),
              v.get("replay").asBoolean());
      String method = v.get("method").asText();
      String target = v.get("target").asText();
      long at = v.get("timestamp").asLong();
      Map<String, String> expected = new LinkedHashMap<>();
      v.get("headers").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asText()));

      Map<String, String> headers = PaidHeaders.sign(p, method, target, at, key);
      assertThat(headers).as(v.get("name").asText()).containsExactlyEntriesOf(expected);
      List<String> values = PaidHeaders.SIGNED.stream().map(headers::get).toList();
      assertThat(new String(PaidHeaders.canonicalForm(values), StandardCharsets.UTF_8))
          .isEqualTo(v.get("canonical").asText());
      InstantSource later = InstantSource.fixed(Instant.ofEpochSecond(at + 59));
      assertThat(PaidHeaders.verify(method, target, asRequest(headers), key, later, MAX_AGE))
          .isEqualTo(p);
      Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      byName.putAll(headers);
      assertThat(PaidCheck.verify(method, target, byName::get, key, at + 59, 60))
          .containsEntry("Price", Long.toString(p.priceMillicents()))
          .containsEntry("Properties", PaidHeaders.encode(props));
    }
  }

  @Test
  void docsOriginMd_showsTheJdkOnlySnippet_asTested() throws IOException {
    String source =
        Files.readString(
            ROOT.resolve("millicent-vendor/src/test/java/org/millicent/vendor/PaidCheck.java"));
    String snippet = source.substring(source.indexOf("import "));
    String doc = Files.readString(ROOT.resolve("docs/ORIGIN.md"));
    assertThat(doc).contains(snippet);
    // the worked example of the canonical form is the second vector's
    JsonNode second =
        new ObjectMapper()
            .readTree(ROOT.resolve("docs/origin-vectors.json").toFile())
            .get("vectors")
            .get(1);
    assertThat(doc)
        .contains("```\n" + second.get("canonical").asText() + "```")
        .contains(second.get("headers").get(PaidHeaders.SIGNATURE).asText());
  }

  /** The Python and Node.js verifiers of docs/ORIGIN.md, run on the vectors where installed. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"python", "js"})
  void docsOriginMd_otherLanguagesVerifiers_acceptTheVectors_andRefuseAChange(String language)
      throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/ORIGIN.md"));
    int start = doc.indexOf("```" + language + "\n") + language.length() + 4;
    String code = doc.substring(start, doc.indexOf("```", start));
    String vectors = ROOT.resolve("docs/origin-vectors.json").toString();
    List<String> command =
        language.equals("python")
            ? List.of(
                "python3",
                "-c",
                code
                    + "\nimport json\n"
                    + "for v in json.load(open('"
                    + vectors
                    + "'))['vectors']:\n"
                    + "  h = {k.lower(): x for k, x in v['headers'].items()}\n"
                    + "  k = v['key'].encode('ascii')\n"
                    + "  verify_paid(v['method'], v['target'], h, k, 60, v['timestamp'] + 59)\n"
                    + "  for n in h:\n"
                    + "    bad = dict(h); bad[n] = ('B' if h[n][:1] == 'A' else 'A') + h[n][1:]\n"
                    + "    try:\n"
                    + "      verify_paid(v['method'], v['target'], bad, k, 60, v['timestamp'])\n"
                    + "      print('accepted a changed ' + n)\n"
                    + "    except ValueError:\n"
                    + "      pass\n"
                    + "print('checked')\n")
            : List.of(
                "node",
                "-e",
                code
                    + "\nconst vs = JSON.parse(require('fs').readFileSync('"
                    + vectors
                    + "')).vectors;\n"
                    + "for (const v of vs) {\n"
                    + "  const h = {};\n"
                    + "  for (const [n, x] of Object.entries(v.headers)) h[n.toLowerCase()] = x;\n"
                    + "  const k = Buffer.from(v.key, 'ascii');\n"
                    + "  verifyPaid(v.method, v.target, h, k, 60, v.timestamp + 59);\n"
                    + "  for (const n of Object.keys(h)) {\n"
                    + "    const bad = {...h}; bad[n] = (h[n][0] === 'A' ? 'B' : 'A') + h[n].slice(1);\n"
                    + "    try {\n"
                    + "      verifyPaid(v.method, v.target, bad, k, 60, v.timestamp);\n"
                    + "      console.log('accepted a changed ' + n);\n"
                    + "    } catch (e) {}\n"
                    + "  }\n"
                    + "}\n"
                    + "console.log('checked');\n");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort(command.get(0) + " is not installed");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.strip()).isEqualTo("checked");
  }

  @Test
  void roundTrip_verifyGivesBackThePayment() throws Invalid {
    assertThat(verify(signed())).isEqualTo(PAYMENT);
    assertThat(signed().keySet()).containsExactlyElementsOf(SIGNED_AND_SIGNATURE);
  }

  @ParameterizedTest
  @FieldSource("SIGNED_AND_SIGNATURE")
  void tamperingAnyHeader_breaksTheSignature(String name) {
    Map<String, String> h = new LinkedHashMap<>(signed());
    String v = h.get(name);
    // the first character changed: any base64url character there is significant
    h.put(name, (v.startsWith("A") ? "B" : "A") + v.substring(1));
    assertThatThrownBy(() -> verify(h))
        .isInstanceOfSatisfying(
            Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(h);
    assertThatThrownBy(
            () -> PaidCheck.verify("POST", "/shop/api/buy?item=7&qty=2", byName::get, KEY, AT, 60))
        .isInstanceOf(SecurityException.class);
  }

  @Test
  void tamperedValues_areBadSignatures_notMalformed() {
    for (String name : PaidHeaders.SIGNED) {
      Map<String, String> h = new LinkedHashMap<>(signed());
      String changed =
          switch (name.substring(name.lastIndexOf('-') + 1)) {
            case "Timestamp" -> Long.toString(AT + 1);
            case "Method" -> "GET";
            case "Target" -> "/shop/api/buy?item=7&qty=3";
            case "Price" -> "1";
            case "Id" -> h.get(name).replace('9', '8').replace('Z', 'Y');
            case "Properties" -> "country=FR&note=a%26b%3Dc%20%C3%BC";
            case "Variant" -> "signed";
            case "Replay" -> "false";
            default -> throw new AssertionError(name);
          };
      assertThat(changed).as(name).isNotEqualTo(h.get(name));
      h.put(name, changed);
      assertThatThrownBy(() -> verify(h))
          .as(name)
          .isInstanceOfSatisfying(
              Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }
  }

  @Test
  void anotherKey_isABadSignature() {
    byte[] other = KEY.clone();
    other[0] ^= 1;
    assertThatThrownBy(
            () ->
                PaidHeaders.verify(
                    "POST", "/shop/api/buy?item=7&qty=2", asRequest(signed()), other, NOW, MAX_AGE))
        .isInstanceOfSatisfying(
            Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void staleOrFutureTimestamp_isExpired() {
    for (long now : new long[] {AT + 61, AT - 61}) {
      assertThatThrownBy(
              () ->
                  PaidHeaders.verify(
                      "POST",
                      "/shop/api/buy?item=7&qty=2",
                      asRequest(signed()),
                      KEY,
                      InstantSource.fixed(Instant.ofEpochSecond(now)),
                      MAX_AGE))
          .isInstanceOfSatisfying(
              Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }
  }

  @Test
  void anotherMethodOrTarget_isOtherRequest() {
    assertThatThrownBy(
            () ->
                PaidHeaders.verify(
                    "POST", "/shop/api/buy?item=7&qty=3", asRequest(signed()), KEY, NOW, MAX_AGE))
        .isInstanceOfSatisfying(
            Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.OTHER_REQUEST));
    assertThatThrownBy(
            () ->
                PaidHeaders.verify(
                    "PUT", "/shop/api/buy?item=7&qty=2", asRequest(signed()), KEY, NOW, MAX_AGE))
        .isInstanceOfSatisfying(
            Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.OTHER_REQUEST));
  }

  @Test
  void absentOrRepeatedHeader_isMissing() {
    Map<String, List<String>> absent = asRequest(signed());
    absent.remove("millicent-paid-price");
    Map<String, List<String>> twice = asRequest(signed());
    twice.put("Millicent-Paid-Price", List.of("1190"));
    for (Map<String, List<String>> h : List.of(absent, twice)) {
      assertThatThrownBy(
              () -> PaidHeaders.verify("POST", "/shop/api/buy?item=7&qty=2", h, KEY, NOW, MAX_AGE))
          .isInstanceOfSatisfying(
              Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING));
    }
  }

  @Test
  void signedButNonCanonicalProperties_areMalformed() throws Exception {
    for (String props : List.of("note=x&country=DE", "country=%de", "country", "country=%C3")) {
      Map<String, String> h = new LinkedHashMap<>(signed());
      h.put(PaidHeaders.PROPERTIES, props);
      List<String> values = PaidHeaders.SIGNED.stream().map(h::get).toList();
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      h.put(
          PaidHeaders.SIGNATURE, Base64Url.encode(mac.doFinal(PaidHeaders.canonicalForm(values))));
      assertThatThrownBy(() -> verify(h))
          .as(props)
          .isInstanceOfSatisfying(
              Invalid.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }
  }

  @Test
  void canonicalForm_lengthPrefixes_keepShiftedBoundariesApart() {
    List<String> a =
        new ArrayList<>(List.of("1", "GET", "/a", "1", "2", "", "0:1", "signed", "p", "false"));
    List<String> b = new ArrayList<>(a);
    b.set(1, "GET\n2:/a");
    b.set(2, "");
    assertThat(PaidHeaders.canonicalForm(a)).isNotEqualTo(PaidHeaders.canonicalForm(b));
    List<String> c = new ArrayList<>(a);
    c.set(1, "GE");
    c.set(2, "T/a");
    assertThat(PaidHeaders.canonicalForm(a)).isNotEqualTo(PaidHeaders.canonicalForm(c));
    assertThat(new String(PaidHeaders.canonicalForm(a), StandardCharsets.US_ASCII))
        .isEqualTo(
            "millicent-paid-v1\n1:1\n3:GET\n2:/a\n1:1\n1:2\n0:\n3:0:1\n6:signed\n1:p\n5:false\n");
    assertThatThrownBy(() -> PaidHeaders.canonicalForm(a.subList(0, 9)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void properties_sortedAndPercentEncoded_oneEncodingPerMap() {
    assertThat(PaidHeaders.encode(Map.of())).isEmpty();
    assertThat(PaidHeaders.encode(Map.of("tier", "gold", "country", "DE")))
        .isEqualTo("country=DE&tier=gold");
    assertThat(PaidHeaders.encode(Map.of("k", "a&b=c %~ü/+")))
        .isEqualTo("k=a%26b%3Dc%20%25~%C3%BC%2F%2B");
    assertThat(PaidHeaders.encode(Map.of("k", ""))).isEqualTo("k=");
  }

  @Test
  void aShortKey_isRefused() {
    assertThatThrownBy(() -> PaidHeaders.sign(PAYMENT, "GET", "/", AT, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }
}
