package org.millicent.storage.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;

/** What the vendor key store must do, run against each database. */
abstract class VendorKeyStoreContract {
  final SecureRandom random = new SecureRandom();
  Database db;
  VendorKeyStore store;

  abstract Database newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
    store = VendorKeyStore.open(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void load_fromAFreshStore_isEmpty() {
    assertThat(store.hasMasterSecrets()).isFalse();
    assertThat(store.loadMasterSecrets().keys()).isEmpty();
    assertThat(store.loadCustomerSecrets().selectors()).isEmpty();
  }

  @Test
  void masterSecrets_roundTripWithEveryState() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    m.rotate(3, random);
    m.retire(1);

    store.saveMasterSecrets(m);
    MasterSecrets loaded = VendorKeyStore.open(db).loadMasterSecrets();

    assertThat(loaded.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(1, KeyState.RETIRED),
            new MasterSecrets.KeyInfo(2, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(3, KeyState.PRIMARY));
    for (int k = 1; k <= 3; k++) {
      assertThat(loaded.secret(k).sameAs(m.secret(k))).isTrue();
    }
    assertThat(store.hasMasterSecrets()).isTrue();
  }

  @Test
  void saveMasterSecrets_replacesTheStoredVector() {
    store.saveMasterSecrets(MasterSecrets.generate(1, random));
    MasterSecrets second = MasterSecrets.generate(7, random);
    store.saveMasterSecrets(second);
    assertThat(store.loadMasterSecrets().keys())
        .containsExactly(new MasterSecrets.KeyInfo(7, KeyState.PRIMARY));
  }

  @Test
  void customerSecrets_roundTrip() {
    CustomerSecrets c = CustomerSecrets.generate(0, random);
    c.put(200, CustomerSecrets.generate(200, random).secret(200));
    store.saveCustomerSecrets(c);
    CustomerSecrets loaded = store.loadCustomerSecrets();
    assertThat(loaded.selectors()).containsExactly(0, 200);
    assertThat(loaded.derive("shop.example", 42L).sameAs(c.derive("shop.example", 42L))).isTrue();
    assertThat(
            loaded.derive("shop.example", 200L << 56).sameAs(c.derive("shop.example", 200L << 56)))
        .isTrue();
  }

  @Test
  void storedSecrets_neverAppearInToStringOrErrors() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    store.saveMasterSecrets(m);
    String hex = HexFormat.of().formatHex(m.secret(1).toByteArray());
    MasterSecrets loaded = store.loadMasterSecrets();
    assertThat(loaded.toString()).doesNotContainIgnoringCase(hex);
    assertThat(store.toString()).doesNotContainIgnoringCase(hex);
  }

  @Test
  void load_twoPrimaryRows_isRefusedAsCorrupt() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    store.saveMasterSecrets(m);
    db.withHandle(h -> h.execute("UPDATE vendor_master_secrets SET state = 'PRIMARY'"));
    assertThatThrownBy(store::loadMasterSecrets)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("at most one primary")
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CORRUPT);
  }
}
