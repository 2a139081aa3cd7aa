package org.millicent.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * The workloads of {@code millicent bench core} and of the core JMH benchmarks: the vendor's side
 * of a purchase in each variant, next to the two baselines it is judged against.
 *
 * <ul>
 *   <li>{@code hmac_raw}: one HMAC-SHA-256 over as many bytes as a scrip body, with one reused
 *       {@link Mac}: the crypto floor.
 *   <li>{@code clear_validation}: {@link org.millicent.purchase.PurchaseService#pay} of a clear
 *       payment (decode, certificate, expiry, value, claim, request fingerprint, mint change).
 *   <li>{@code signed_purchase}: the same for a signed payment, plus what the vendor adds: derive
 *       the customer secret, verify the request MAC, and MAC the reply over the change.
 *   <li>{@code private_purchase}: open the sealed payment (HKDF of the customer's key, AES-GCM),
 *       the same checks, and seal the change.
 *   <li>{@code ed25519_verify}: one JDK Ed25519 signature check over a scrip encoding: what
 *       public-key cash pays per payment.
 * </ul>
 *
 * <p>Each purchase spends fresh scrip: the customer side (minting, request MAC, sealing) is done in
 * {@link Workload#prepare} and not measured. Thread-safe: every call makes new instances.
 */
public final class CoreWorkloads {
  /**
   * HMAC-SHA-256 computations in one signed purchase at the vendor: certificate check, customer
   * secret derivation, request MAC, change certificate, reply MAC. The two under the customer
   * secret take a key that is new to the {@code Mac}, which costs more than a reused key.
   */
  public static final int HMACS_PER_SIGNED_PURCHASE = 5;

  /** Every case, in the order reports print them. */
  public static final List<String> NAMES =
      List.of(
          "hmac_raw", "clear_validation", "signed_purchase", "private_purchase", "ed25519_verify");

  private CoreWorkloads() {}

  /**
   * A new workload by case name, with its own fixture.
   *
   * @throws IllegalArgumentException when the name is not one of {@link #NAMES}
   */
  public static Workload create(String name) {
    return switch (name) {
      case "hmac_raw" -> new HmacRaw(new CoreFixture());
      case "clear_validation" ->
          new Purchases(
              name,
              new CoreFixture(org.millicent.scrip.SpendMode.BEARER),
              (f, scrip) -> Payer.clear(scrip, f.freshNonce(), f.request),
              (f, p) -> p.changeBytes().length);
      case "signed_purchase" ->
          new Purchases(
              name,
              new CoreFixture(),
              (f, scrip) -> Payer.signed(scrip, f.customerSecret, f.freshNonce(), f.request),
              (f, p) -> p.replyMac(CoreFixture.STATUS_OK, CoreFixture.EMPTY_BODY_DIGEST)[0]);
      case "private_purchase" ->
          new Purchases(
              name,
              new CoreFixture(),
              (f, scrip) ->
                  Payer.sealed(scrip, f.customerSecret, f.freshNonce(), f.request, f.random),
              (f, p) -> p.sealChange(f.random).length);
      case "ed25519_verify" -> new Ed25519Verify(new CoreFixture());
      default ->
          throw new IllegalArgumentException(
              "no core workload named \"" + name + "\"; expected one of " + NAMES);
    };
  }

  /** Makes the customer's payment for one piece of fresh scrip. */
  private interface PaymentMaker {
    Payment make(CoreFixture f, Scrip scrip);
  }

  /** What the vendor does after a payment is accepted, before it answers. */
  private interface Reply {
    long finish(CoreFixture f, Purchase p);
  }

  /** Payments of fresh scrip, made ahead; each operation is one purchase at the vendor. */
  private static final class Purchases implements Workload {
    private final String name;
    private final CoreFixture fixture;
    private final PaymentMaker maker;
    private final Reply reply;
    private Payment[] batch = new Payment[0];

    Purchases(String name, CoreFixture fixture, PaymentMaker maker, Reply reply) {
      this.name = name;
      this.fixture = fixture;
      this.maker = maker;
      this.reply = reply;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void prepare(int n) {
      if (batch.length != n) {
        batch = new Payment[n];
      }
      for (int i = 0; i < n; i++) {
        batch[i] = maker.make(fixture, fixture.freshScrip());
      }
    }

    @Override
    public long run(int i) {
      Purchase p = fixture.vendor.pay(batch[i], fixture.pricer);
      if (p.isReplay()) {
        // An identical retry is answered from the first spend, without a spend of its own: a
        // benchmark that ran into one would measure the cheaper path.
        throw new IllegalStateException(
            "operation " + i + " was run before: prepare fresh payments for every run");
      }
      return reply.finish(fixture, p);
    }
  }

  /** The baseline: HMAC-SHA-256 over a scrip body's worth of bytes under one prepared key. */
  private static final class HmacRaw implements Workload {
    private final Mac mac;
    private final byte[] input;

    HmacRaw(CoreFixture f) {
      Scrip scrip = f.freshScrip();
      input = ScripCodec.encodeBody(scrip.body());
      byte[] key = new byte[32];
      f.random.nextBytes(key);
      mac = newMac(key);
    }

    private static Mac newMac(byte[] key) {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK has no HMAC-SHA-256", e);
      }
    }

    @Override
    public String name() {
      return "hmac_raw";
    }

    @Override
    public long run(int i) {
      mac.update(input);
      return mac.doFinal()[0];
    }
  }

  /** The public-key baseline: one Ed25519 verification of a signed scrip encoding. */
  private static final class Ed25519Verify implements Workload {
    private final Signature verifier;
    private final byte[] message;
    private final byte[] signature;

    Ed25519Verify(CoreFixture f) {
      message = ScripCodec.encode(f.freshScrip());
      try {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(message);
        signature = signer.sign();
        verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(keys.getPublic());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK has no Ed25519", e);
      }
    }

    @Override
    public String name() {
      return "ed25519_verify";
    }

    @Override
    public long run(int i) {
      try {
        verifier.update(message);
        if (!verifier.verify(signature)) {
          throw new IllegalStateException("Ed25519 signature did not verify");
        }
        return 1;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 verification failed", e);
      }
    }
  }
}
