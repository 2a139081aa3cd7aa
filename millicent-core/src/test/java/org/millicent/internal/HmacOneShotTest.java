package org.millicent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link Hmac#oneShot} re-keys its per-thread Mac only when a different key array arrives; these
 * check that every call still computes under the key it was given.
 */
class HmacOneShotTest {
  private static final byte[] DATA = "millicent".getBytes(StandardCharsets.US_ASCII);

  private static byte[] reference(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return k;
  }

  @Test
  void oneShot_sameKeyArrayTwice_givesTheSameMacAsAFreshMac() throws Exception {
    byte[] k = key(1);

    byte[] first = Hmac.oneShot(k, DATA);
    byte[] second = Hmac.oneShot(k, DATA);

    assertThat(first).isEqualTo(reference(k, DATA));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void oneShot_alternatingKeys_computesEachUnderItsOwnKey() throws Exception {
    byte[] a = key(1);
    byte[] b = key(2);

    assertThat(Hmac.oneShot(a, DATA)).isEqualTo(reference(a, DATA));
    assertThat(Hmac.oneShot(b, DATA)).isEqualTo(reference(b, DATA));
    assertThat(Hmac.oneShot(a, DATA)).isEqualTo(reference(a, DATA));
  }

  @Test
  void oneShot_equalKeysInDifferentArrays_giveEqualMacs_andDifferentKeysDifferentOnes()
      throws Exception {
    assertThat(Hmac.oneShot(key(3), DATA)).isEqualTo(Hmac.oneShot(key(3), DATA));
    assertThat(Hmac.oneShot(key(3), DATA)).isNotEqualTo(Hmac.oneShot(key(4), DATA));
  }

  @Test
  void oneShot_onAnotherThread_usesThatThreadsMacUnderTheSameKey() throws Exception {
    byte[] k = key(5);
    byte[] here = Hmac.oneShot(k, DATA);
    byte[][] there = new byte[1][];
    Thread t = new Thread(() -> there[0] = Hmac.oneShot(k, DATA));
    t.start();
    t.join();

    assertThat(there[0]).isEqualTo(here).isEqualTo(reference(k, DATA));
  }
}
