package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.keys.CustomerSecret;

class SealedBoxTest {
  private static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");
  private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAIN = "plaintext".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom random = new SecureRandom();

  @Test
  void seal_layoutIsVersionNonceCiphertextTag() {
    byte[] nonce = HexFormat.of().parseHex("000102030405060708090a0b");

    byte[] sealed = SealedBox.seal(KEY, nonce, AAD, PLAIN);

    assertThat(sealed).hasSize(1 + 12 + PLAIN.length + 16);
    assertThat(sealed[0]).isEqualTo((byte) 1);
    assertThat(java.util.Arrays.copyOfRange(sealed, 1, 13)).isEqualTo(nonce);
    assertThat(SealedBox.tag(sealed))
        .isEqualTo(java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length));
    assertThat(SealedBox.open(KEY, sealed, AAD)).isEqualTo(PLAIN);
  }

  @Test
  void seal_randomNonces_differEachTime() {
    assertThat(SealedBox.seal(KEY, random, AAD, PLAIN))
        .isNotEqualTo(SealedBox.seal(KEY, random, AAD, PLAIN));
  }

  @Test
  void open_everyFlippedBit_isRejected() {
    byte[] sealed = SealedBox.seal(KEY, random, AAD, PLAIN);

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] bad = sealed.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      if (bit < 8) {
        assertThatThrownBy(() -> SealedBox.open(KEY, bad, AAD))
            .isInstanceOf(MalformedException.class)
            .hasMessageContaining("version");
      } else {
        assertThatThrownBy(() -> SealedBox.open(KEY, bad, AAD)).isInstanceOf(ForgedException.class);
      }
    }
  }

  @Test
  void open_wrongAadOrKey_isForged() {
    byte[] sealed = SealedBox.seal(KEY, random, AAD, PLAIN);
    byte[] other = new byte[32];
    other[0] = 1;

    assertThatThrownBy(() -> SealedBox.open(KEY, sealed, "aae".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> SealedBox.open(new SecretKeySpec(other, "AES"), sealed, AAD))
        .isInstanceOf(ForgedException.class);
  }

  @Test
  void open_shorterThanTheOverhead_isMalformed() {
    byte[] sealed = SealedBox.seal(KEY, random, AAD, new byte[0]);

    assertThat(sealed).hasSize(SealedBox.OVERHEAD);
    assertThat(SealedBox.open(KEY, sealed, AAD)).isEmpty();
    assertThatThrownBy(
            () -> SealedBox.open(KEY, java.util.Arrays.copyOf(sealed, sealed.length - 1), AAD))
        .isInstanceOf(MalformedException.class);
    assertThatThrownBy(() -> SealedBox.tag(new byte[3])).isInstanceOf(MalformedException.class);
  }

  @Test
  void sealSecret_roundTripsAndIsBoundToVendorAndCustomer() {
    CustomerSecret transport = CustomerSecret.of(new byte[32]);
    CustomerSecret secret = CustomerSecret.of(HexFormat.of().parseHex("11".repeat(32)));

    byte[] sealed = Payer.sealSecret(transport, "venetia", 5, secret, random);

    assertThat(Payer.openSecret(transport, "venetia", 5, sealed).sameAs(secret)).isTrue();
    assertThatThrownBy(() -> Payer.openSecret(transport, "venetia", 6, sealed))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Payer.openSecret(transport, "bob", 5, sealed))
        .isInstanceOf(ForgedException.class);
  }
}
