package org.millicent.purchase;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;
import org.millicent.testing.MutableClock;

/**
 * A vendor with fixed secrets, a hand-moved clock and in-memory spend recording: the real purchase
 * service, wired for tests. Not thread-safe to set up; the service it builds is.
 */
final class TestVendor {
  static final String VENDOR = "venetia";
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant EXPIRES = START.plus(Duration.ofDays(1));
  static final Duration CHANGE_LIFETIME = Duration.ofHours(12);

  /** Customer IDs under selector 1, the only selector with a customer master secret. */
  static final long ALICE = 0x01_00_0000_0000_0001L;

  static final long CAROL = 0x01_00_0000_0000_0002L;

  /** A customer ID whose selector (2) has no customer master secret. */
  static final long NOBODY = 0x02_00_0000_0000_0001L;

  /** The origin the test customer addresses. */
  static final Authority ORIGIN = Authority.of("https", "venetia.example", -1);

  static final RequestDescriptor GET_PAGE =
      RequestDescriptor.of(ORIGIN, "GET", "/pages/1", new byte[0]);

  final MasterSecrets masters = new MasterSecrets();
  final CustomerSecrets customers = new CustomerSecrets();
  final InMemorySpendRecorder recorder = new InMemorySpendRecorder();
  final InMemorySerialAllocator serials = new InMemorySerialAllocator();
  final MutableClock clock = new MutableClock(START);
  final SecureRandom random = new SecureRandom();
  final ScripMinter minter;
  final PurchaseService service;

  TestVendor() {
    this(EnumSet.allOf(Variant.class));
  }

  TestVendor(Set<Variant> accepted) {
    masters.put(0, SecretBytes.copyOf(pattern(0x10, 32)), KeyState.PRIMARY);
    customers.put(1, SecretBytes.copyOf(pattern(0x40, 32)));
    minter = new ScripMinter(VENDOR, masters, serials);
    service =
        new PurchaseService(
            VENDOR, masters, customers, recorder, serials, clock, CHANGE_LIFETIME, accepted);
  }

  /** {@code n} bytes counting up from {@code start}: a fixed, recognisable secret. */
  static byte[] pattern(int start, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  Scrip mint(long valueMillicents, long customerId) {
    return minter.mint(valueMillicents, customerId, EXPIRES, ScripProperties.NONE);
  }

  Scrip mintBearer(long valueMillicents, long customerId) {
    return minter.mint(
        valueMillicents, customerId, EXPIRES, ScripProperties.NONE, SpendMode.BEARER);
  }

  CustomerSecret secretOf(long customerId) {
    return customers.derive(VENDOR, customerId);
  }

  Payment.Signed signed(Scrip scrip) {
    return signed(scrip, GET_PAGE);
  }

  Payment.Signed signed(Scrip scrip, RequestDescriptor request) {
    return Payer.signed(scrip, secretOf(scrip.customerId()), Nonce.random(random), request);
  }

  Payment.Private sealed(Scrip scrip) {
    return Payer.sealed(
        scrip, secretOf(scrip.customerId()), Nonce.random(random), GET_PAGE, random);
  }

  Payment.Clear clear(Scrip scrip) {
    return Payer.clear(scrip, Nonce.random(random), GET_PAGE);
  }

  long spentCount() {
    return recorder.spentSet().markedCount();
  }
}
