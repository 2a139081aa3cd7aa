package org.millicent.vectors;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.PrivateMessages;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.SealedBox;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * Builds docs/test-vectors.json from fixed secrets with the implementation itself (docs/PROTOCOL.md
 * names how each field is computed). Deterministic: the same code always writes the same file. The
 * entries chain: the request MACs use the scrip and customer secrets above them, the reply MACs the
 * request MACs, the sealed change and response the sealed payment's tag.
 */
final class TestVectors {
  static final HexFormat HEX = HexFormat.of();

  static final String VENDOR = "venetia";
  static final String BROKER = "bob.example:8081_x-y";
  static final long ALICE = 0x0100000000000001L;
  static final long CAROL = 0x0100000000000002L;
  static final long MAX_U64 = -1L;

  /** Value of the first scrip, which the chained entries spend. */
  static final long CHAIN_VALUE = 1_000;

  /** Price of the chained purchase: the first reply's change is worth value minus price. */
  static final long CHAIN_PRICE = 100;

  /** The authority of the chained purchase: the default port, written explicitly. */
  static final Authority VENETIA = Authority.of("https", "venetia.example", -1);

  /** An IPv6 loopback authority with its port. */
  static final Authority LOOPBACK6 = Authority.of("http", "[::1]", 8080);

  private TestVectors() {}

  /** {@code n} bytes counting up from {@code start} (wrapping): a fixed, recognisable secret. */
  static byte[] pattern(int start, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  /** The file in the repository: docs/test-vectors.json above the module's working directory. */
  static Path file() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("docs"))) {
        return d.resolve("docs").resolve("test-vectors.json");
      }
    }
    throw new IllegalStateException("no repository root (mvnw and docs/) above " + dir);
  }

  static BigInteger u64(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  private record ScripCase(
      String name, byte[] masterSecret, int keyId, ScripBody body, Scrip scrip) {}

  private static ScripCase scripCase(
      String name,
      int masterStart,
      int keyId,
      String vendor,
      long value,
      long serial,
      long customer,
      long expires,
      Map<String, String> props,
      SpendMode spend) {
    byte[] master = pattern(masterStart, 32);
    MasterSecrets m = new MasterSecrets();
    m.put(keyId, SecretBytes.copyOf(master), KeyState.PRIMARY);
    ScripBody body =
        new ScripBody(
            vendor,
            value,
            new ScripId(keyId, serial),
            customer,
            Instant.ofEpochSecond(expires),
            props.isEmpty() ? ScripProperties.NONE : new ScripProperties(new TreeMap<>(props)),
            spend);
    Scrip scrip = new Scrip(body, m.certify(keyId, ScripCodec.encodeBody(body)));
    return new ScripCase(name, master, keyId, body, scrip);
  }

  static Map<String, Object> build() {
    List<ScripCase> scrip =
        List.of(
            scripCase(
                "no properties, key id 0",
                0x00,
                0,
                VENDOR,
                CHAIN_VALUE,
                1,
                ALICE,
                4_102_444_800L,
                Map.of(),
                SpendMode.BOUND),
            scripCase(
                "properties, key id 7",
                0x20,
                7,
                VENDOR,
                2_500,
                123_456,
                CAROL,
                4_133_980_800L,
                Map.of("country", "US", "state", "CA"),
                SpendMode.BOUND),
            scripCase(
                "largest values, key id 200, UTF-8 property values",
                0xa0,
                200,
                BROKER,
                ScripBody.MAX_VALUE_MILLICENTS,
                ScripId.MAX_SERIAL,
                MAX_U64,
                ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS,
                Map.of("city", "Z\u00fcrich", "note", "\u20ac \u2713 \ud83d\ude00"),
                SpendMode.BOUND),
            scripCase(
                "smallest values, bearer", 0x00, 0, "a", 1, 0, 0, 0, Map.of(), SpendMode.BEARER),
            scripCase(
                "change for the first scrip",
                0x00,
                0,
                VENDOR,
                CHAIN_VALUE - CHAIN_PRICE,
                2,
                ALICE,
                4_102_448_400L,
                Map.of(),
                SpendMode.BOUND));

    byte[] customerMaster1 = pattern(0x40, 32);
    byte[] customerMaster255 = pattern(0xe0, 32);
    CustomerSecrets cms = new CustomerSecrets();
    cms.put(1, SecretBytes.copyOf(customerMaster1));
    cms.put(255, SecretBytes.copyOf(customerMaster255));
    CustomerSecret alice = cms.derive(VENDOR, ALICE);
    CustomerSecret carol = cms.derive(VENDOR, CAROL);
    CustomerSecret broker = cms.derive(BROKER, MAX_U64);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "description",
        "Millicent protocol test vectors, version 2 (docs/PROTOCOL.md, \"Test vectors\"). Binary"
            + " values are lower-case hex; scrip_id and customer_id are unsigned 64-bit integers;"
            + " expires_at is seconds since 1970-01-01T00:00:00Z.");

    List<Object> scripOut = new ArrayList<>();
    for (ScripCase c : scrip) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", c.name());
      e.put("master_secret", HEX.formatHex(c.masterSecret()));
      e.put("key_id", c.keyId());
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("vendor", c.body().vendor());
      f.put("value_millicents", c.body().valueMillicents());
      f.put("scrip_id", u64(c.body().id().toLong()));
      f.put("customer_id", u64(c.body().customerId()));
      f.put("expires_at", c.body().expiresAt().getEpochSecond());
      f.put("spend", c.body().spend().wireName());
      f.put("properties", new LinkedHashMap<String, Object>(c.body().properties().entries()));
      e.put("fields", f);
      e.put("body", HEX.formatHex(ScripCodec.encodeBody(c.body())));
      e.put("certificate", HEX.formatHex(c.scrip().certificate().bytes()));
      e.put("token", c.scrip().token());
      scripOut.add(e);
    }
    root.put("scrip", scripOut);

    List<Object> secretsOut = new ArrayList<>();
    secretsOut.add(customerSecret("first customer", customerMaster1, VENDOR, ALICE, alice));
    secretsOut.add(customerSecret("second customer", customerMaster1, VENDOR, CAROL, carol));
    secretsOut.add(
        customerSecret(
            "selector 255, largest customer ID", customerMaster255, BROKER, MAX_U64, broker));
    root.put("customer_secret", secretsOut);

    byte[] nonce1 = pattern(0x80, 16);
    byte[] nonce2 = pattern(0x90, 16);
    byte[] body2 = "{\"item\":7}".getBytes(StandardCharsets.UTF_8);
    Map<String, Object> req1 =
        requestMac(
            "GET without body",
            alice,
            ScripCodec.encode(scrip.get(0).scrip()),
            nonce1,
            VENETIA,
            "GET",
            "/pages/1",
            new byte[0]);
    Map<String, Object> req2 =
        requestMac(
            "POST with body and query",
            carol,
            ScripCodec.encode(scrip.get(1).scrip()),
            nonce2,
            LOOPBACK6,
            "POST",
            "/orders?item=7",
            body2);
    root.put("request_mac", List.of(req1, req2));

    byte[] mac1 = HEX.parseHex((String) req1.get("mac"));
    byte[] mac2 = HEX.parseHex((String) req2.get("mac"));
    root.put(
        "reply_mac",
        List.of(
            replyMac(
                "200 with change",
                alice,
                mac1,
                200,
                ScripCodec.encode(scrip.get(4).scrip()),
                "<p>the page</p>".getBytes(StandardCharsets.UTF_8)),
            // Refusals carry no receipt and no reply MAC; a 409 replayed does (docs/HTTP-API.md,
            // "Replays of non-safe methods"): the POST above, paid at exactly its value, re-sent.
            replyMac(
                "409 replayed without change",
                carol,
                mac2,
                409,
                new byte[0],
                "{\"code\":\"replayed\",\"status\":409}".getBytes(StandardCharsets.UTF_8))));

    List<Object> sealedOut = new ArrayList<>();
    RequestDescriptor get = RequestDescriptor.of(VENETIA, "GET", "/pages/1", new byte[0]);
    Map<String, Object> payFields = new LinkedHashMap<>();
    payFields.put("vendor", VENDOR);
    payFields.put("customer_id", u64(ALICE));
    putAuthority(payFields, VENETIA);
    payFields.put("method", get.method());
    payFields.put("target", get.target());
    payFields.put("body_digest", HEX.formatHex(get.bodyDigest()));
    payFields.put("scrip", HEX.formatHex(ScripCodec.encode(scrip.get(0).scrip())));
    payFields.put("request_nonce", HEX.formatHex(nonce1));
    Map<String, Object> payment =
        sealed(
            "payment",
            alice,
            gcmNonce(1),
            PrivateMessages.paymentAad(VENDOR, ALICE, get),
            PrivateMessages.paymentPlaintext(
                ScripCodec.encode(scrip.get(0).scrip()), Nonce.of(nonce1)),
            payFields);
    sealedOut.add(payment);
    byte[] paymentTag = SealedBox.tag(HEX.parseHex((String) payment.get("ciphertext")));

    Map<String, Object> bodyFields = new LinkedHashMap<>();
    bodyFields.put("vendor", VENDOR);
    bodyFields.put("customer_id", u64(ALICE));
    sealedOut.add(
        sealed(
            "request_body",
            alice,
            gcmNonce(2),
            PrivateMessages.requestBodyAad(VENDOR, ALICE),
            "{\"q\":\"secret question\"}".getBytes(StandardCharsets.UTF_8),
            bodyFields));

    Map<String, Object> changeFields = new LinkedHashMap<>();
    changeFields.put("payment_tag", HEX.formatHex(paymentTag));
    sealedOut.add(
        sealed(
            "change",
            alice,
            gcmNonce(3),
            PrivateMessages.changeAad(paymentTag),
            ScripCodec.encode(scrip.get(4).scrip()),
            changeFields));

    Map<String, Object> responseFields = new LinkedHashMap<>();
    responseFields.put("payment_tag", HEX.formatHex(paymentTag));
    responseFields.put("status", 200);
    sealedOut.add(
        sealed(
            "response",
            alice,
            gcmNonce(4),
            PrivateMessages.responseAad(paymentTag, 200),
            "<p>the page</p>".getBytes(StandardCharsets.UTF_8),
            responseFields));

    Map<String, Object> secretFields = new LinkedHashMap<>();
    secretFields.put("vendor", VENDOR);
    secretFields.put("customer_id", u64(ALICE));
    sealedOut.add(
        sealed(
            "secret",
            broker,
            gcmNonce(5),
            PrivateMessages.secretAad(VENDOR, ALICE),
            alice.toByteArray(),
            secretFields));
    root.put("sealed", sealedOut);
    return root;
  }

  static byte[] gcmNonce(int n) {
    byte[] b = new byte[SealedBox.NONCE_LENGTH];
    b[b.length - 1] = (byte) n;
    return b;
  }

  private static Map<String, Object> customerSecret(
      String name, byte[] master, String vendor, long customer, CustomerSecret secret) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("customer_master_secret", HEX.formatHex(master));
    e.put("vendor", vendor);
    e.put("customer_id", u64(customer));
    e.put("input", HEX.formatHex(CustomerSecrets.derivationInput(vendor, customer)));
    e.put("customer_secret", HEX.formatHex(secret.toByteArray()));
    return e;
  }

  private static Map<String, Object> requestMac(
      String name,
      CustomerSecret secret,
      byte[] scrip,
      byte[] nonce,
      Authority authority,
      String method,
      String target,
      byte[] body) {
    RequestDescriptor r = RequestDescriptor.of(authority, method, target, body);
    byte[] input = Macs.requestInput(scrip, Nonce.of(nonce), r);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("scrip", HEX.formatHex(scrip));
    f.put("nonce", HEX.formatHex(nonce));
    putAuthority(f, authority);
    f.put("method", method);
    f.put("target", target);
    f.put("body", HEX.formatHex(body));
    f.put("body_digest", HEX.formatHex(r.bodyDigest()));
    return macVector(name, secret, f, input);
  }

  /** A MAC vector: the MAC under {@code secret} of {@code input}, built from {@code fields}. */
  private static Map<String, Object> macVector(
      String name, CustomerSecret secret, Map<String, Object> fields, byte[] input) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("customer_secret", HEX.formatHex(secret.toByteArray()));
    e.put("fields", fields);
    e.put("input", HEX.formatHex(input));
    e.put("mac", HEX.formatHex(Macs.mac(secret, input)));
    return e;
  }

  private static void putAuthority(Map<String, Object> f, Authority a) {
    f.put("scheme", a.scheme());
    f.put("host", a.host());
    f.put("port", a.port());
  }

  private static Map<String, Object> replyMac(
      String name,
      CustomerSecret secret,
      byte[] requestMac,
      int status,
      byte[] change,
      byte[] body) {
    byte[] digest = RequestDescriptor.digest(body);
    byte[] input = Macs.replyInput(requestMac, status, change, digest);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("request_mac", HEX.formatHex(requestMac));
    f.put("status", status);
    f.put("change", HEX.formatHex(change));
    f.put("body", HEX.formatHex(body));
    f.put("body_digest", HEX.formatHex(digest));
    return macVector(name, secret, f, input);
  }

  private static Map<String, Object> sealed(
      String role,
      CustomerSecret secret,
      byte[] nonce,
      byte[] aad,
      byte[] plaintext,
      Map<String, Object> fields) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("role", role);
    e.put("customer_secret", HEX.formatHex(secret.toByteArray()));
    e.put("key", HEX.formatHex(secret.privateKey().getEncoded()));
    e.put("nonce", HEX.formatHex(nonce));
    e.put("fields", fields);
    e.put("aad", HEX.formatHex(aad));
    e.put("plaintext", HEX.formatHex(plaintext));
    e.put("ciphertext", HEX.formatHex(SealedBox.seal(secret.privateKey(), nonce, aad, plaintext)));
    return e;
  }
}
