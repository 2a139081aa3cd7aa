package org.millicent.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No secret reaches a string: toString of every holder of secret bytes is redacted. */
class SecretsToStringTest {
  private static final byte[] MASTER =
      HexFormat.of().parseHex("5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7abcd");

  private static void assertNoTraceOf(byte[] secret, Object holder) {
    String s = String.valueOf(holder);
    List<String> forms =
        List.of(
            HexFormat.of().formatHex(secret),
            HexFormat.of().withUpperCase().formatHex(secret),
            Base64.getEncoder().encodeToString(secret),
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
            java.util.Arrays.toString(secret));
    for (String form : forms) {
      assertThat(s).doesNotContain(form);
      assertThat(s).doesNotContain(form.substring(0, 16));
    }
  }

  @Test
  void toString_ofSecretHolders_neverShowsTheSecret() {
    SecretBytes bytes = SecretBytes.copyOf(MASTER);
    MasterSecrets masters = new MasterSecrets();
    masters.put(3, bytes, KeyState.PRIMARY);
    CustomerSecrets customers = new CustomerSecrets();
    customers.put(1, bytes);
    CustomerSecret derived = customers.derive("venetia", 0x0100000000000001L);
    CustomerSecret wrapped = CustomerSecret.of(MASTER);

    assertNoTraceOf(MASTER, bytes);
    assertNoTraceOf(MASTER, masters);
    assertNoTraceOf(MASTER, customers);
    assertNoTraceOf(MASTER, wrapped);
    assertNoTraceOf(derived.toByteArray(), derived);
    assertNoTraceOf(derived.privateKey().getEncoded(), derived);
    assertThat(bytes.toString()).contains("redacted");
    assertThat(masters.toString()).contains("3").contains("PRIMARY");
  }

  @Test
  void secretBytes_comparesByContentNotReference() {
    // The twin of the redaction: equality still works on the hidden bytes.
    assertThat(SecretBytes.copyOf(MASTER)).isEqualTo(SecretBytes.copyOf(MASTER));
    byte[] other = MASTER.clone();
    other[31] ^= 1;
    assertThat(SecretBytes.copyOf(other)).isNotEqualTo(SecretBytes.copyOf(MASTER));
    assertThat(SecretBytes.copyOf(MASTER).toByteArray()).isEqualTo(MASTER);
  }
}
