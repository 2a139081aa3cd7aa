package org.millicent.keys;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.millicent.failure.UnknownKeyException;
import org.millicent.internal.Hmac;
import org.millicent.scrip.Certificate;

/**
 * A vendor's vector of up to 256 master scrip secrets, indexed by key id, each {@link
 * KeyState#PRIMARY primary}, {@link KeyState#ACTIVE active} or {@link KeyState#RETIRED retired}
 * (docs/PROTOCOL.md, "Master scrip secrets"). Rotation adds a new primary and demotes the old one
 * to active; retiring stops a key from validating. Thread-safe: readers see a consistent snapshot,
 * writers are serialised.
 */
public final class MasterSecrets {
  /** Length of every master scrip secret in bytes (256 bits). */
  public static final int SECRET_LENGTH = 32;

  /** One key of the vector. */
  private record Slot(SecretBytes secret, KeyState state, Hmac hmac) {}

  /** A non-secret description of one key of the vector. */
  public record KeyInfo(int keyId, KeyState state) {}

  private volatile Slot[] slots = new Slot[256];

  /** An empty vector: add keys with {@link #put} or {@link #rotate}. */
  public MasterSecrets() {}

  /** A vector with one fresh random primary key. */
  public static MasterSecrets generate(int keyId, SecureRandom random) {
    MasterSecrets m = new MasterSecrets();
    m.put(keyId, SecretBytes.random(SECRET_LENGTH, random), KeyState.PRIMARY);
    return m;
  }

  /**
   * Sets the key at {@code keyId} (as when loading from storage). Making a key primary demotes the
   * current primary to active.
   *
   * @throws IllegalArgumentException when the key id is out of range or the secret is not 32 bytes
   */
  public synchronized void put(int keyId, SecretBytes secret, KeyState state) {
    checkKeyId(keyId);
    if (secret.length() != SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "master secret must be " + SECRET_LENGTH + " bytes, was " + secret.length());
    }
    Slot[] next = slots.clone();
    if (state == KeyState.PRIMARY) {
      demotePrimary(next);
    }
    next[keyId] = new Slot(secret, state, new Hmac(secret.unsafeBytes()));
    slots = next;
  }

  /**
   * Rotates: {@code keyId} gets a fresh random secret and becomes primary; the old primary stays
   * active so scrip it minted keeps validating.
   *
   * @throws IllegalArgumentException when {@code keyId} is already in use
   */
  public synchronized void rotate(int keyId, SecureRandom random) {
    checkKeyId(keyId);
    if (slots[keyId] != null) {
      throw new IllegalArgumentException("key id " + keyId + " is already in use");
    }
    put(keyId, SecretBytes.random(SECRET_LENGTH, random), KeyState.PRIMARY);
  }

  /**
   * Retires a key: scrip under it no longer validates.
   *
   * @throws IllegalArgumentException when the key is absent or is the primary
   */
  public synchronized void retire(int keyId) {
    checkKeyId(keyId);
    Slot s = slots[keyId];
    if (s == null) {
      throw new IllegalArgumentException("key id " + keyId + " is not in the vector");
    }
    if (s.state() == KeyState.PRIMARY) {
      throw new IllegalArgumentException("key id " + keyId + " is primary; rotate before retiring");
    }
    Slot[] next = slots.clone();
    next[keyId] = new Slot(s.secret(), KeyState.RETIRED, s.hmac());
    slots = next;
  }

  /**
   * Makes this vector hold the keys and states of {@code stored} (as loaded from the database that
   * other processes change too), in one step: readers see either the old vector or the new one,
   * never a mix, so a rotation made elsewhere switches the primary and its demotion at once. A key
   * retired here stays retired whatever {@code stored} says (retiring is final), and a key absent
   * from {@code stored} is kept as it is.
   *
   * @return whether any key or state changed
   */
  public synchronized boolean syncFrom(MasterSecrets stored) {
    Slot[] theirs = stored.slots;
    Slot[] next = slots.clone();
    boolean changed = false;
    int primary = -1;
    for (int i = 0; i < next.length; i++) {
      Slot mine = next[i];
      Slot s = theirs[i];
      if (s == null || (mine != null && mine.state() == KeyState.RETIRED)) {
        continue;
      }
      if (mine == null || !mine.secret().sameAs(s.secret())) {
        next[i] = new Slot(s.secret(), s.state(), new Hmac(s.secret().unsafeBytes()));
        changed = true;
      } else if (mine.state() != s.state()) {
        next[i] = new Slot(mine.secret(), s.state(), mine.hmac());
        changed = true;
      }
      if (s.state() == KeyState.PRIMARY) {
        primary = i;
      }
    }
    if (primary >= 0) {
      // Exactly one primary: one kept here from before and not in {@code stored} is demoted.
      for (int i = 0; i < next.length; i++) {
        Slot x = next[i];
        if (i != primary && x != null && x.state() == KeyState.PRIMARY) {
          next[i] = new Slot(x.secret(), KeyState.ACTIVE, x.hmac());
          changed = true;
        }
      }
    }
    if (changed) {
      slots = next;
    }
    return changed;
  }

  private static void demotePrimary(Slot[] next) {
    for (int i = 0; i < next.length; i++) {
      Slot s = next[i];
      if (s != null && s.state() == KeyState.PRIMARY) {
        next[i] = new Slot(s.secret(), KeyState.ACTIVE, s.hmac());
      }
    }
  }

  /** The key id that mints, if any. */
  public OptionalInt primaryKeyId() {
    Slot[] s = slots;
    for (int i = 0; i < s.length; i++) {
      if (s[i] != null && s[i].state() == KeyState.PRIMARY) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** The state of every key present, by key id. */
  public List<KeyInfo> keys() {
    Slot[] s = slots;
    List<KeyInfo> out = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (s[i] != null) {
        out.add(new KeyInfo(i, s[i].state()));
      }
    }
    return out;
  }

  /** A copy of the secret at {@code keyId}, for storage; never log it. */
  public SecretBytes secret(int keyId) {
    checkKeyId(keyId);
    Slot s = slots[keyId];
    if (s == null) {
      throw new UnknownKeyException("key id " + keyId + " is not in the master secret vector");
    }
    return s.secret();
  }

  /**
   * Computes the certificate of {@code body} under a key that may validate (primary or active).
   *
   * @throws UnknownKeyException when the key is absent or retired
   */
  public Certificate certify(int keyId, byte[] body) {
    return Certificate.truncate(usable(keyId).hmac().compute(body));
  }

  /** Whether {@code keyId} names a key that validates. */
  public boolean validates(int keyId) {
    Slot s = keyId >= 0 && keyId < 256 ? slots[keyId] : null;
    return s != null && s.state() != KeyState.RETIRED;
  }

  private Slot usable(int keyId) {
    Slot s = keyId >= 0 && keyId < 256 ? slots[keyId] : null;
    if (s == null) {
      throw new UnknownKeyException("key id " + keyId + " is not in the master secret vector");
    }
    if (s.state() == KeyState.RETIRED) {
      throw new UnknownKeyException("key id " + keyId + " is retired");
    }
    return s;
  }

  private static void checkKeyId(int keyId) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id must be 0..255, was " + keyId);
    }
  }

  /** Names the key ids and states only. */
  @Override
  public String toString() {
    return "MasterSecrets" + keys();
  }
}
