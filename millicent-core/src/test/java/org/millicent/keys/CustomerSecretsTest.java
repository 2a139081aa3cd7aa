package org.millicent.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import org.junit.jupiter.api.Test;
import org.millicent.failure.UnknownKeyException;
import org.millicent.internal.Hmac;

class CustomerSecretsTest {
  private static final long ALICE = 0x01_00_0000_0000_0001L;

  private final CustomerSecrets c = new CustomerSecrets();

  CustomerSecretsTest() {
    byte[] master = new byte[32];
    master[0] = 1;
    c.put(1, SecretBytes.copyOf(master));
  }

  @Test
  void derivationInput_isLabelVendorLengthVendorCustomerId() {
    assertThat(HexFormat.of().formatHex(CustomerSecrets.derivationInput("venetia", ALICE)))
        .isEqualTo(
            HexFormat.of().formatHex("millicent-customer-v2".getBytes(StandardCharsets.US_ASCII))
                + "07"
                + "76656e65746961"
                + "0100000000000001");
  }

  @Test
  void derive_isHmacOfTheInputUnderTheSelectedMasterSecret() {
    CustomerSecret s = c.derive("venetia", ALICE);

    assertThat(s.toByteArray())
        .isEqualTo(
            new Hmac(c.secret(1).toByteArray())
                .compute(CustomerSecrets.derivationInput("venetia", ALICE)));
    assertThat(s).isEqualTo(c.derive("venetia", ALICE));
  }

  @Test
  void derive_otherVendorOrCustomer_givesAnotherSecret() {
    CustomerSecret s = c.derive("venetia", ALICE);

    assertThat(c.derive("venetia2", ALICE).sameAs(s)).isFalse();
    assertThat(c.derive("venetia", ALICE + 1).sameAs(s)).isFalse();
  }

  @Test
  void derive_selectorWithoutMasterSecret_isUnknownKey() {
    assertThat(CustomerSecrets.selectorOf(0x02_00_0000_0000_0001L)).isEqualTo(2);
    assertThat(CustomerSecrets.selectorOf(-1L)).isEqualTo(255);

    assertThatThrownBy(() -> c.derive("venetia", 0x02_00_0000_0000_0001L))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("selector 2");
    assertThat(c.selectors()).containsExactly(1);
  }

  @Test
  void privateKey_isHkdfSha256WithTheDocumentedSaltAndInfo() throws Exception {
    CustomerSecret s = c.derive("venetia", ALICE);

    // RFC 5869 by hand: PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01), 32 bytes.
    byte[] prk = Hmac.oneShot(CustomerSecret.PRIVATE_KEY_SALT, s.toByteArray());
    byte[] info = CustomerSecret.PRIVATE_KEY_INFO;
    byte[] t1Input = java.util.Arrays.copyOf(info, info.length + 1);
    t1Input[info.length] = 1;
    byte[] okm = Hmac.oneShot(prk, t1Input);

    assertThat(s.privateKey().getEncoded()).isEqualTo(okm);
    assertThat(s.privateKey().getAlgorithm()).isEqualTo("AES");
    assertThat(new String(CustomerSecret.PRIVATE_KEY_SALT, StandardCharsets.US_ASCII))
        .isEqualTo("millicent-private-v2");
    assertThat(new String(info, StandardCharsets.US_ASCII)).isEqualTo("aes-256-gcm key");
    // Twin: the JDK's KDF with another salt gives another key.
    byte[] other =
        KDF.getInstance("HKDF-SHA256")
            .deriveData(
                HKDFParameterSpec.ofExtract()
                    .addIKM(s.toByteArray())
                    .addSalt("millicent-private-v1".getBytes(StandardCharsets.US_ASCII))
                    .thenExpand(info, 32));
    assertThat(other).isNotEqualTo(okm);
  }

  @Test
  void of_wrongLength_isRejected() {
    assertThatThrownBy(() -> CustomerSecret.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CustomerSecret.of(new byte[32]).toByteArray()).hasSize(32);
  }
}
