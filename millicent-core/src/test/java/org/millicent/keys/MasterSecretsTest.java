package org.millicent.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.millicent.failure.UnknownKeyException;
import org.millicent.internal.Hmac;
import org.millicent.scrip.Certificate;

class MasterSecretsTest {
  private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);
  private final SecureRandom random = new SecureRandom();

  private static SecretBytes secret(int fill) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) fill);
    return SecretBytes.copyOf(b);
  }

  @Test
  void certify_isTheFirst16BytesOfHmacSha256UnderTheSelectedKey() {
    MasterSecrets m = new MasterSecrets();
    m.put(0, secret(1), KeyState.PRIMARY);
    m.put(7, secret(2), KeyState.ACTIVE);

    assertThat(m.certify(7, BODY))
        .isEqualTo(Certificate.truncate(new Hmac(secret(2).toByteArray()).compute(BODY)));
    assertThat(m.certify(7, BODY)).isNotEqualTo(m.certify(0, BODY));
  }

  @Test
  void rotate_makesTheNewKeyPrimaryAndKeepsTheOldOneValidating() {
    MasterSecrets m = MasterSecrets.generate(0, random);

    m.rotate(1, random);

    assertThat(m.primaryKeyId()).hasValue(1);
    assertThat(m.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(0, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(1, KeyState.PRIMARY));
    assertThat(m.validates(0)).isTrue();
    assertThat(m.validates(1)).isTrue();
    assertThatThrownBy(() -> m.rotate(0, random))
        .as("a key id is never reused")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retire_stopsTheKeyFromValidatingAndCertifying() {
    MasterSecrets m = MasterSecrets.generate(0, random);
    m.rotate(1, random);

    m.retire(0);

    assertThat(m.validates(0)).isFalse();
    assertThatThrownBy(() -> m.certify(0, BODY)).isInstanceOf(UnknownKeyException.class);
    assertThat(m.validates(1)).isTrue();
    assertThatThrownBy(() -> m.retire(1))
        .as("the primary cannot be retired")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void certify_absentKey_isUnknownKey() {
    MasterSecrets m = MasterSecrets.generate(0, random);

    assertThat(m.validates(5)).isFalse();
    assertThat(m.validates(-1)).isFalse();
    assertThat(m.validates(256)).isFalse();
    assertThatThrownBy(() -> m.certify(5, BODY)).isInstanceOf(UnknownKeyException.class);
  }

  @Test
  void put_wrongLengthOrKeyId_isRejected() {
    MasterSecrets m = new MasterSecrets();

    assertThatThrownBy(() -> m.put(0, SecretBytes.copyOf(new byte[16]), KeyState.PRIMARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.put(256, secret(1), KeyState.PRIMARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(m.keys()).isEmpty();
  }

  @Test
  void put_secondPrimary_demotesTheFirst() {
    MasterSecrets m = new MasterSecrets();
    m.put(3, secret(1), KeyState.PRIMARY);

    m.put(4, secret(2), KeyState.PRIMARY);

    assertThat(m.primaryKeyId()).hasValue(4);
    assertThat(m.keys()).contains(new MasterSecrets.KeyInfo(3, KeyState.ACTIVE));
  }

  @Test
  void retire_thePrimaryOrAnAbsentKey_isRefusedAndChangesNothing() {
    MasterSecrets m = MasterSecrets.generate(0, random);

    assertThatThrownBy(() -> m.retire(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rotate before retiring");
    assertThatThrownBy(() -> m.retire(9)).isInstanceOf(IllegalArgumentException.class);
    assertThat(m.keys()).containsExactly(new MasterSecrets.KeyInfo(0, KeyState.PRIMARY));
  }

  @Test
  void syncFrom_aRotationMadeElsewhere_switchesThePrimaryAndKeepsTheOldKeyValidating() {
    MasterSecrets here = new MasterSecrets();
    here.put(0, secret(1), KeyState.PRIMARY);
    MasterSecrets stored = new MasterSecrets();
    stored.put(0, secret(1), KeyState.ACTIVE);
    stored.put(1, secret(2), KeyState.PRIMARY);

    assertThat(here.syncFrom(stored)).isTrue();

    assertThat(here.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(0, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(1, KeyState.PRIMARY));
    assertThat(here.certify(1, BODY)).isEqualTo(stored.certify(1, BODY));
    assertThat(here.certify(0, BODY)).isEqualTo(stored.certify(0, BODY));
    assertThat(here.syncFrom(stored)).as("nothing left to change").isFalse();
  }

  @Test
  void syncFrom_aRetirementMadeElsewhere_stopsTheKeyValidating() {
    MasterSecrets here = new MasterSecrets();
    here.put(0, secret(1), KeyState.ACTIVE);
    here.put(1, secret(2), KeyState.PRIMARY);
    MasterSecrets stored = new MasterSecrets();
    stored.put(0, secret(1), KeyState.RETIRED);
    stored.put(1, secret(2), KeyState.PRIMARY);

    here.syncFrom(stored);

    assertThat(here.validates(0)).isFalse();
    assertThat(here.validates(1)).isTrue();
  }

  @Test
  void syncFrom_rotatedAndRetiredInOneGo_endsWithOnePrimary() {
    MasterSecrets here = new MasterSecrets();
    here.put(0, secret(1), KeyState.PRIMARY);
    MasterSecrets stored = new MasterSecrets();
    stored.put(0, secret(1), KeyState.RETIRED);
    stored.put(2, secret(3), KeyState.PRIMARY);

    here.syncFrom(stored);

    assertThat(here.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(0, KeyState.RETIRED),
            new MasterSecrets.KeyInfo(2, KeyState.PRIMARY));
  }

  @Test
  void syncFrom_neverUnretiresAKeyAndKeepsKeysTheStoreLacks() {
    MasterSecrets here = new MasterSecrets();
    here.put(0, secret(1), KeyState.RETIRED);
    here.put(1, secret(2), KeyState.PRIMARY);
    here.put(5, secret(6), KeyState.ACTIVE);
    MasterSecrets stored = new MasterSecrets();
    stored.put(0, secret(1), KeyState.ACTIVE);
    stored.put(1, secret(2), KeyState.PRIMARY);

    assertThat(here.syncFrom(stored)).isFalse();

    assertThat(here.validates(0)).isFalse();
    assertThat(here.keys()).contains(new MasterSecrets.KeyInfo(5, KeyState.ACTIVE));
  }

  @Test
  void syncFrom_anotherSecretUnderAKnownKeyId_takesTheStoredOne() {
    MasterSecrets here = new MasterSecrets();
    here.put(3, secret(1), KeyState.PRIMARY);
    MasterSecrets stored = new MasterSecrets();
    stored.put(3, secret(9), KeyState.PRIMARY);

    assertThat(here.syncFrom(stored)).isTrue();

    assertThat(here.certify(3, BODY)).isEqualTo(stored.certify(3, BODY));
  }
}
