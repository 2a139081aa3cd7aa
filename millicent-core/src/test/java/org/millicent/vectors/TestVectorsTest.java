package org.millicent.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.vectors.TestVectors.HEX;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millicent.failure.ForgedException;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PrivateMessages;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.InMemorySpendRecorder;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * docs/test-vectors.json against the implementation: every entry of the checked-in file is
 * recomputed and must match byte for byte, and the file must be exactly what {@link TestVectors}
 * writes. To regenerate after a deliberate change of the protocol: {@code ./mvnw -pl millicent-core
 * test -Dtest=TestVectorsTest -Dmillicent.vectors.write=true}.
 */
class TestVectorsTest {
  private static Map<String, Object> file;

  @BeforeAll
  static void read() throws IOException {
    file = map(Json.parse(Files.readString(TestVectors.file(), StandardCharsets.UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entries(String name) {
    return (List<Map<String, Object>>) file.get(name);
  }

  private static byte[] hex(Map<String, Object> m, String name) {
    return HEX.parseHex((String) m.get(name));
  }

  private static String str(Map<String, Object> m, String name) {
    return (String) m.get(name);
  }

  private static long u64(Map<String, Object> m, String name) {
    BigInteger b = (BigInteger) m.get(name);
    assertThat(b.signum()).as(name + " is unsigned").isGreaterThanOrEqualTo(0);
    assertThat(b.bitLength()).as(name + " fits 64 bits").isLessThanOrEqualTo(64);
    return b.longValue();
  }

  private static int integer(Map<String, Object> m, String name) {
    return ((BigInteger) m.get(name)).intValueExact();
  }

  @Test
  void checkedInFile_isExactlyWhatTheGeneratorWrites() throws IOException {
    Path path = TestVectors.file();
    String generated = Json.write(TestVectors.build());
    if (Boolean.getBoolean("millicent.vectors.write")) {
      Files.writeString(path, generated, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(path, StandardCharsets.UTF_8))
        .as("docs/test-vectors.json is stale; see this class's Javadoc to regenerate it")
        .isEqualTo(generated);
    assertThat(Json.parse(generated)).isEqualTo(Json.parse(Files.readString(path)));
  }

  @Test
  void file_hasTheRequiredSectionsAndCoverage() {
    assertThat(file).containsKeys("scrip", "customer_secret", "request_mac", "reply_mac", "sealed");
    assertThat(entries("scrip")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(entries("scrip"))
        .anySatisfy(e -> assertThat(map(map(e.get("fields")).get("properties"))).isNotEmpty());
    assertThat(entries("scrip")).anySatisfy(e -> assertThat(integer(e, "key_id")).isNotZero());
    for (String spend : List.of("bound", "bearer")) {
      assertThat(entries("scrip"))
          .anySatisfy(e -> assertThat(str(map(e.get("fields")), "spend")).isEqualTo(spend));
    }
    assertThat(entries("customer_secret")).isNotEmpty();
    assertThat(entries("request_mac")).isNotEmpty();
    assertThat(entries("reply_mac")).isNotEmpty();
    assertThat(entries("sealed")).isNotEmpty();
  }

  private static ScripBody body(Map<String, Object> f) {
    TreeMap<String, String> props = new TreeMap<>();
    map(f.get("properties")).forEach((k, v) -> props.put(k, (String) v));
    return new ScripBody(
        str(f, "vendor"),
        ((BigInteger) f.get("value_millicents")).longValueExact(),
        ScripId.fromLong(u64(f, "scrip_id")),
        u64(f, "customer_id"),
        Instant.ofEpochSecond(((BigInteger) f.get("expires_at")).longValueExact()),
        new ScripProperties(props),
        SpendMode.fromWireName(str(f, "spend")));
  }

  @Test
  void scripVectors_bodyCertificateAndTokenMatchTheImplementation() {
    for (Map<String, Object> e : entries("scrip")) {
      String name = str(e, "name");
      ScripBody body = body(map(e.get("fields")));
      int keyId = integer(e, "key_id");
      MasterSecrets masters = new MasterSecrets();
      masters.put(keyId, SecretBytes.copyOf(hex(e, "master_secret")), KeyState.PRIMARY);
      byte[] encodedBody = ScripCodec.encodeBody(body);
      Certificate cert = Certificate.of(hex(e, "certificate"));
      byte[] whole = concat(hex(e, "body"), hex(e, "certificate"));

      assertThat(body.keyId()).as(name).isEqualTo(keyId);
      assertThat(HEX.formatHex(encodedBody)).as(name).isEqualTo(str(e, "body"));
      assertThat(masters.certify(keyId, encodedBody)).as(name).isEqualTo(cert);
      assertThat(hmacSha256(hex(e, "master_secret"), encodedBody))
          .as(name + ": certificate = first 16 bytes of HMAC-SHA-256(master secret, body)")
          .startsWith(cert.bytes());
      assertThat(new Scrip(body, cert).token()).as(name).isEqualTo(str(e, "token"));
      assertThat(java.util.Base64.getUrlDecoder().decode(str(e, "token"))).isEqualTo(whole);
      assertThat(ScripCodec.fromToken(str(e, "token"))).isEqualTo(new Scrip(body, cert));
      assertThat(ScripCodec.decode(whole).body()).isEqualTo(body);

      byte[] altered = encodedBody.clone();
      altered[altered.length - 1] ^= 1;
      assertThat(masters.certify(keyId, altered)).as(name + " negative twin").isNotEqualTo(cert);
    }
  }

  @Test
  void customerSecretVectors_inputAndSecretMatchTheImplementation() {
    for (Map<String, Object> e : entries("customer_secret")) {
      String vendor = str(e, "vendor");
      long customer = u64(e, "customer_id");
      CustomerSecrets vector = new CustomerSecrets();
      vector.put(
          CustomerSecrets.selectorOf(customer),
          SecretBytes.copyOf(hex(e, "customer_master_secret")));

      assertThat(HEX.formatHex(CustomerSecrets.derivationInput(vendor, customer)))
          .isEqualTo(str(e, "input"));
      assertThat(HEX.formatHex(vector.derive(vendor, customer).toByteArray()))
          .isEqualTo(str(e, "customer_secret"));
      assertThat(hmacSha256(hex(e, "customer_master_secret"), hex(e, "input")))
          .isEqualTo(hex(e, "customer_secret"));
      assertThat(vector.derive(vendor + "x", customer).toByteArray())
          .as("negative twin: another vendor")
          .isNotEqualTo(hex(e, "customer_secret"));
    }
  }

  @Test
  void requestMacVectors_inputAndMacMatchTheImplementation() {
    for (Map<String, Object> e : entries("request_mac")) {
      Map<String, Object> f = map(e.get("fields"));
      CustomerSecret secret = CustomerSecret.of(hex(e, "customer_secret"));
      RequestDescriptor r =
          RequestDescriptor.of(authority(f), str(f, "method"), str(f, "target"), hex(f, "body"));
      byte[] input = Macs.requestInput(hex(f, "scrip"), Nonce.of(hex(f, "nonce")), r);
      assertThat(authority(f).encode())
          .as("the authority is written in canonical form")
          .isEqualTo(
              concat(
                  concat(
                      new byte[] {(byte) str(f, "scheme").length()},
                      str(f, "scheme").getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                  concat(
                      concat(
                          new byte[] {(byte) str(f, "host").length()},
                          str(f, "host").getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                      new byte[] {(byte) (integer(f, "port") >> 8), (byte) integer(f, "port")})));

      assertThat(r.bodyDigest()).isEqualTo(hex(f, "body_digest"));
      assertThat(HEX.formatHex(input)).isEqualTo(str(e, "input"));
      assertThat(HEX.formatHex(Macs.mac(secret, input))).isEqualTo(str(e, "mac"));
      Macs.verify(secret, input, hex(e, "mac"), "request");
      byte[] flipped = hex(e, "mac");
      flipped[0] ^= 1;
      assertThatThrownBy(() -> Macs.verify(secret, input, flipped, "request"))
          .isInstanceOf(ForgedException.class);
      Authority elsewhere =
          Authority.of(str(f, "scheme"), str(f, "host"), integer(f, "port") == 1 ? 2 : 1);
      byte[] relayed =
          Macs.requestInput(
              hex(f, "scrip"),
              Nonce.of(hex(f, "nonce")),
              RequestDescriptor.of(elsewhere, r.method(), r.target(), hex(f, "body")));
      assertThatThrownBy(() -> Macs.verify(secret, relayed, hex(e, "mac"), "request"))
          .as("negative twin: the same request at another port")
          .isInstanceOf(ForgedException.class);
    }
  }

  private static Authority authority(Map<String, Object> f) {
    return new Authority(str(f, "scheme"), str(f, "host"), integer(f, "port"));
  }

  @Test
  void replyMacVectors_inputAndMacMatchTheImplementation() {
    for (Map<String, Object> e : entries("reply_mac")) {
      Map<String, Object> f = map(e.get("fields"));
      CustomerSecret secret = CustomerSecret.of(hex(e, "customer_secret"));
      byte[] digest = RequestDescriptor.digest(hex(f, "body"));
      int status = integer(f, "status");
      byte[] input = Macs.replyInput(hex(f, "request_mac"), status, hex(f, "change"), digest);

      assertThat(digest).isEqualTo(hex(f, "body_digest"));
      assertThat(HEX.formatHex(input)).isEqualTo(str(e, "input"));
      assertThat(HEX.formatHex(Macs.mac(secret, input))).isEqualTo(str(e, "mac"));
      assertThat(
              Payer.verifySignedReply(
                  secret, hex(f, "request_mac"), status, hex(f, "change"), digest, hex(e, "mac")))
          .isEqualTo(
              hex(f, "change").length == 0
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(ScripCodec.decode(hex(f, "change"))));
      assertThatThrownBy(
              () ->
                  Payer.verifySignedReply(
                      secret,
                      hex(f, "request_mac"),
                      status + 1,
                      hex(f, "change"),
                      digest,
                      hex(e, "mac")))
          .isInstanceOf(ForgedException.class);
    }
  }

  @Test
  void sealedVectors_keyAadAndCiphertextMatchTheImplementation() throws Exception {
    for (Map<String, Object> e : entries("sealed")) {
      String role = str(e, "role");
      Map<String, Object> f = map(e.get("fields"));
      CustomerSecret secret = CustomerSecret.of(hex(e, "customer_secret"));
      SecretKey key = new SecretKeySpec(hex(e, "key"), "AES");
      byte[] aad = hex(e, "aad");
      byte[] plaintext = hex(e, "plaintext");
      byte[] ciphertext = hex(e, "ciphertext");

      assertThat(secret.privateKey().getEncoded()).as(role).isEqualTo(hex(e, "key"));
      assertThat(expectedAad(role, f)).as(role + " aad").isEqualTo(aad);
      if (role.equals("payment")) {
        assertThat(plaintext)
            .isEqualTo(
                PrivateMessages.paymentPlaintext(
                    hex(f, "scrip"), Nonce.of(hex(f, "request_nonce"))));
      }
      assertThat(ciphertext[0]).isEqualTo((byte) SealedBox.VERSION);
      assertThat(Arrays.copyOfRange(ciphertext, 1, 1 + SealedBox.NONCE_LENGTH))
          .isEqualTo(hex(e, "nonce"));
      assertThat(HEX.formatHex(sealOnAFreshThread(key, hex(e, "nonce"), aad, plaintext)))
          .as(role + " ciphertext")
          .isEqualTo(str(e, "ciphertext"));
      assertThat(SealedBox.open(key, ciphertext, aad)).as(role).isEqualTo(plaintext);
      byte[] flipped = ciphertext.clone();
      flipped[flipped.length - 1] ^= 1;
      assertThatThrownBy(() -> SealedBox.open(key, flipped, aad))
          .isInstanceOf(ForgedException.class);
    }
  }

  private static byte[] expectedAad(String role, Map<String, Object> f) {
    return switch (role) {
      case "payment" ->
          PrivateMessages.paymentAad(
              str(f, "vendor"),
              u64(f, "customer_id"),
              new RequestDescriptor(
                  authority(f), str(f, "method"), str(f, "target"), hex(f, "body_digest")));
      case "request_body" ->
          PrivateMessages.requestBodyAad(str(f, "vendor"), u64(f, "customer_id"));
      case "change" -> PrivateMessages.changeAad(hex(f, "payment_tag"));
      case "response" -> PrivateMessages.responseAad(hex(f, "payment_tag"), integer(f, "status"));
      case "secret" -> PrivateMessages.secretAad(str(f, "vendor"), u64(f, "customer_id"));
      default -> throw new AssertionError("unknown role " + role);
    };
  }

  /**
   * Seals on a thread of its own: the JDK's GCM refuses to encrypt twice in a row with one key and
   * nonce on one Cipher, and SealedBox keeps one Cipher per thread.
   */
  private static byte[] sealOnAFreshThread(SecretKey key, byte[] nonce, byte[] aad, byte[] plain)
      throws InterruptedException {
    AtomicReference<byte[]> out = new AtomicReference<>();
    Thread t = Thread.ofVirtual().start(() -> out.set(SealedBox.seal(key, nonce, aad, plain)));
    t.join();
    return out.get();
  }

  @Test
  void chainedVectors_areAcceptedByAVendorBuiltFromTheSameSecrets() {
    Map<String, Object> scrip0 = entries("scrip").get(0);
    Map<String, Object> customers = entries("customer_secret").get(0);
    Map<String, Object> request = entries("request_mac").get(0);
    Map<String, Object> payment = entries("sealed").get(0);
    assertThat(str(payment, "role")).isEqualTo("payment");
    Map<String, Object> rf = map(request.get("fields"));
    Map<String, Object> pf = map(payment.get("fields"));

    Payment.Signed signed =
        new Payment.Signed(
            hex(rf, "scrip"),
            Nonce.of(hex(rf, "nonce")),
            hex(request, "mac"),
            RequestDescriptor.of(
                authority(rf), str(rf, "method"), str(rf, "target"), hex(rf, "body")));
    Payment.Private sealed =
        new Payment.Private(
            str(pf, "vendor"),
            u64(pf, "customer_id"),
            hex(payment, "ciphertext"),
            new RequestDescriptor(
                authority(pf), str(pf, "method"), str(pf, "target"), hex(pf, "body_digest")));
    Map<String, Object> reply = map(entries("reply_mac").get(0).get("fields"));
    Scrip replyChange = ScripCodec.decode(hex(reply, "change"));
    long value = ((BigInteger) map(scrip0.get("fields")).get("value_millicents")).longValueExact();

    for (Payment p : List.<Payment>of(signed, sealed)) {
      PurchaseService vendor = vendorFor(scrip0, customers);
      Purchase purchase = vendor.pay(p, Pricer.fixed(TestVectors.CHAIN_PRICE));
      assertThat(purchase.scrip().token()).isEqualTo(str(scrip0, "token"));
      assertThat(purchase.change().orElseThrow().valueMillicents())
          .as("the first reply's change is worth the first scrip's value minus the price")
          .isEqualTo(value - TestVectors.CHAIN_PRICE)
          .isEqualTo(replyChange.valueMillicents());
      Scrip change = purchase.change().orElseThrow();
      assertThat(change.customerId()).isEqualTo(replyChange.customerId());
      assertThat(change.spend()).isEqualTo(replyChange.spend());
      assertThat(change.properties()).isEqualTo(replyChange.properties());
    }
    assertThat(hex(reply, "request_mac")).isEqualTo(hex(request, "mac"));
    assertThat(((BigInteger) map(scrip0.get("fields")).get("expires_at")).longValueExact())
        .as("chained vectors must not expire while anyone uses them")
        .isGreaterThan(4_000_000_000L);
  }

  private static PurchaseService vendorFor(
      Map<String, Object> scrip, Map<String, Object> customerSecret) {
    Map<String, Object> f = map(scrip.get("fields"));
    MasterSecrets masters = new MasterSecrets();
    masters.put(
        integer(scrip, "key_id"),
        SecretBytes.copyOf(hex(scrip, "master_secret")),
        KeyState.PRIMARY);
    CustomerSecrets customers = new CustomerSecrets();
    customers.put(
        CustomerSecrets.selectorOf(u64(customerSecret, "customer_id")),
        SecretBytes.copyOf(hex(customerSecret, "customer_master_secret")));
    return new PurchaseService(
        str(f, "vendor"),
        masters,
        customers,
        new InMemorySpendRecorder(),
        new InMemorySerialAllocator(),
        // The real clock: docs/PROTOCOL.md promises the chain verifies today (until 2100).
        InstantSource.system(),
        Duration.ofHours(1),
        EnumSet.allOf(Variant.class));
  }

  private static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
