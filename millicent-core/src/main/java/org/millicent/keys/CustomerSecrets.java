package org.millicent.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.millicent.failure.UnknownKeyException;
import org.millicent.internal.ByteWriter;
import org.millicent.internal.Hmac;

/**
 * A vector of up to 256 customer master secrets, selected by the top byte of the customer ID, from
 * which every customer secret is derived (docs/PROTOCOL.md, "Customer secret"). A vendor stores no
 * per-customer secret. Giving each issuer (the vendor itself, each licensed broker) its own
 * selector bytes gives each a disjoint customer-ID space. Thread-safe.
 */
public final class CustomerSecrets {
  /** Length of each customer master secret in bytes. */
  public static final int SECRET_LENGTH = 32;

  /** Domain label at the start of every derivation input. */
  public static final byte[] LABEL = "millicent-customer-v2".getBytes(StandardCharsets.US_ASCII);

  private record Slot(SecretBytes secret, Hmac hmac) {}

  private volatile Slot[] slots = new Slot[256];

  /** An empty vector. */
  public CustomerSecrets() {}

  /** A vector with one fresh random secret at {@code selector}. */
  public static CustomerSecrets generate(int selector, SecureRandom random) {
    CustomerSecrets c = new CustomerSecrets();
    c.put(selector, SecretBytes.random(SECRET_LENGTH, random));
    return c;
  }

  /**
   * Sets the customer master secret for one selector byte.
   *
   * @throws IllegalArgumentException when the selector is outside 0..255 or the secret is not 32
   *     bytes
   */
  public synchronized void put(int selector, SecretBytes secret) {
    if (selector < 0 || selector > 255) {
      throw new IllegalArgumentException("selector must be 0..255, was " + selector);
    }
    if (secret.length() != SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "customer master secret must be " + SECRET_LENGTH + " bytes, was " + secret.length());
    }
    Slot[] next = slots.clone();
    next[selector] = new Slot(secret, new Hmac(secret.unsafeBytes()));
    slots = next;
  }

  /** The selector bytes that have a secret. */
  public List<Integer> selectors() {
    Slot[] s = slots;
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (s[i] != null) {
        out.add(i);
      }
    }
    return out;
  }

  /** A copy of one customer master secret, for storage or a licence; never log it. */
  public SecretBytes secret(int selector) {
    Slot s = selector >= 0 && selector < 256 ? slots[selector] : null;
    if (s == null) {
      throw new UnknownKeyException("no customer master secret for selector " + selector);
    }
    return s.secret();
  }

  /** The selector of a customer ID: its top byte. */
  public static int selectorOf(long customerId) {
    return (int) (customerId >>> 56);
  }

  /** The exact PRF input for (vendor, customer ID): label, vendor length and bytes, customer ID. */
  public static byte[] derivationInput(String vendor, long customerId) {
    return new ByteWriter(LABEL.length + 1 + vendor.length() + 8)
        .raw(LABEL)
        .string8(vendor)
        .u64(customerId)
        .toByteArray();
  }

  /**
   * Derives the customer secret of {@code customerId} at {@code vendor}.
   *
   * @throws UnknownKeyException when the customer ID's selector has no customer master secret
   */
  public CustomerSecret derive(String vendor, long customerId) {
    int sel = selectorOf(customerId);
    Slot s = slots[sel];
    if (s == null) {
      throw new UnknownKeyException(
          "no customer master secret for selector "
              + sel
              + " of customer "
              + Long.toUnsignedString(customerId));
    }
    return CustomerSecret.wrap(s.hmac().compute(derivationInput(vendor, customerId)));
  }

  @Override
  public String toString() {
    return "CustomerSecrets" + selectors();
  }
}
