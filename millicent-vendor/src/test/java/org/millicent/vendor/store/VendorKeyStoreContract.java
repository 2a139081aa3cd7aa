package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.storage.Database;
import org.millicent.storage.MasterKeyRecord;
import org.millicent.storage.StorageException;
import org.millicent.testing.MutableClock;

/** What the vendor key store must do, run against each database. */
abstract class VendorKeyStoreContract {
  final SecureRandom random = new SecureRandom();
  final MutableClock clock = new MutableClock(Instant.parse("2029-05-06T07:08:09Z"));
  Database db;
  VendorKeyStore store;

  abstract Database newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
    store = VendorKeyStore.open(db, clock);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void load_fromAFreshStore_isEmpty() {
    assertThat(store.vectors().hasMasterSecrets()).isFalse();
    assertThat(store.vectors().loadMasterSecrets().keys()).isEmpty();
    assertThat(store.vectors().loadCustomerSecrets().selectors()).isEmpty();
  }

  @Test
  void masterSecrets_roundTripWithEveryState() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    m.rotate(3, random);
    m.retire(1);

    store.vectors().saveMasterSecrets(m);
    MasterSecrets loaded = VendorKeyStore.open(db, clock).vectors().loadMasterSecrets();

    assertThat(loaded.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(1, KeyState.RETIRED),
            new MasterSecrets.KeyInfo(2, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(3, KeyState.PRIMARY));
    for (int k = 1; k <= 3; k++) {
      assertThat(loaded.secret(k).sameAs(m.secret(k))).isTrue();
    }
    assertThat(store.vectors().hasMasterSecrets()).isTrue();
  }

  @Test
  void saveMasterSecrets_replacesTheStoredVector() {
    store.vectors().saveMasterSecrets(MasterSecrets.generate(1, random));
    MasterSecrets second = MasterSecrets.generate(7, random);
    store.vectors().saveMasterSecrets(second);
    assertThat(store.vectors().loadMasterSecrets().keys())
        .containsExactly(new MasterSecrets.KeyInfo(7, KeyState.PRIMARY));
  }

  @Test
  void rowWrites_changeOneKey_andKeepEveryOtherAsStored() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    store.vectors().saveMasterSecrets(m);
    store.vectors().saveCustomerSecrets(CustomerSecrets.generate(0, random));
    MasterSecrets added = MasterSecrets.generate(130, random);
    CustomerSecrets addedCustomer = CustomerSecrets.generate(140, random);

    db.inTransaction(
        h -> {
          store.vectors().insertMasterSecret(h, 130, added.secret(130), KeyState.ACTIVE);
          store.vectors().insertCustomerSecret(h, 140, addedCustomer.secret(140));
          return store.vectors().setMasterState(h, 1, KeyState.RETIRED);
        });

    MasterSecrets loaded = store.vectors().loadMasterSecrets();
    assertThat(loaded.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(1, KeyState.RETIRED),
            new MasterSecrets.KeyInfo(2, KeyState.PRIMARY),
            new MasterSecrets.KeyInfo(130, KeyState.ACTIVE));
    assertThat(loaded.secret(1).sameAs(m.secret(1))).isTrue();
    assertThat(loaded.secret(130).sameAs(added.secret(130))).isTrue();
    assertThat(store.vectors().loadCustomerSecrets().selectors()).containsExactly(0, 140);
    assertThat(store.vectors().loadCustomerSecrets().secret(140).sameAs(addedCustomer.secret(140)))
        .isTrue();
  }

  @Test
  void rowWrites_neverReplaceAStoredKey_norDemoteThePrimary() {
    store.vectors().saveMasterSecrets(MasterSecrets.generate(1, random));
    store.vectors().saveCustomerSecrets(CustomerSecrets.generate(0, random));
    MasterSecrets before = store.vectors().loadMasterSecrets();

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    h -> {
                      store
                          .vectors()
                          .insertMasterSecret(
                              h, 1, MasterSecrets.generate(1, random).secret(1), KeyState.ACTIVE);
                      return null;
                    }))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    h -> {
                      store
                          .vectors()
                          .insertCustomerSecret(
                              h, 0, CustomerSecrets.generate(0, random).secret(0));
                      return null;
                    }))
        .isInstanceOf(StorageException.class);
    boolean primaryRetired =
        db.inTransaction(h -> store.vectors().setMasterState(h, 1, KeyState.RETIRED));
    boolean absentRetired =
        db.inTransaction(h -> store.vectors().setMasterState(h, 9, KeyState.RETIRED));
    assertThat(primaryRetired).isFalse();
    assertThat(absentRetired).isFalse();
    assertThatThrownBy(
            () -> db.inTransaction(h -> store.vectors().setMasterState(h, 1, KeyState.PRIMARY)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.vectors().loadMasterSecrets().keys())
        .containsExactly(new MasterSecrets.KeyInfo(1, KeyState.PRIMARY));
    assertThat(store.vectors().loadMasterSecrets().secret(1).sameAs(before.secret(1))).isTrue();
  }

  @Test
  void customerSecrets_roundTrip() {
    CustomerSecrets c = CustomerSecrets.generate(0, random);
    c.put(200, CustomerSecrets.generate(200, random).secret(200));
    store.vectors().saveCustomerSecrets(c);
    CustomerSecrets loaded = store.vectors().loadCustomerSecrets();
    assertThat(loaded.selectors()).containsExactly(0, 200);
    assertThat(loaded.derive("shop.example", 42L).sameAs(c.derive("shop.example", 42L))).isTrue();
    assertThat(
            loaded.derive("shop.example", 200L << 56).sameAs(c.derive("shop.example", 200L << 56)))
        .isTrue();
  }

  @Test
  void createMissing_onAFreshStore_createsAPrimaryAndEachSelector() {
    assertThat(store.vectors().createMissing(3, List.of(0, 1), random)).isTrue();
    assertThat(store.vectors().loadMasterSecrets().keys())
        .containsExactly(new MasterSecrets.KeyInfo(3, KeyState.PRIMARY));
    assertThat(store.vectors().loadCustomerSecrets().selectors()).containsExactly(0, 1);
  }

  @Test
  void createMissing_keepsWhatIsStored_andAddsOnlyMissingSelectors() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    store.vectors().saveMasterSecrets(m);
    CustomerSecrets c = CustomerSecrets.generate(0, random);
    store.vectors().saveCustomerSecrets(c);

    assertThat(store.vectors().createMissing(0, List.of(0, 1), random)).isFalse();

    MasterSecrets loaded = store.vectors().loadMasterSecrets();
    assertThat(loaded.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(1, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(2, KeyState.PRIMARY));
    assertThat(loaded.secret(2).sameAs(m.secret(2))).isTrue();
    CustomerSecrets loadedCustomers = store.vectors().loadCustomerSecrets();
    assertThat(loadedCustomers.selectors()).containsExactly(0, 1);
    assertThat(loadedCustomers.secret(0).sameAs(c.secret(0))).isTrue();
  }

  @Test
  void createMissing_fromTwoProcessesAtOnceOnAnEmptyDatabase_bothLoadTheSameSecrets()
      throws Exception {
    for (int round = 0; round < 10; round++) {
      try (Database first = newDatabase();
          Database second = Database.open(first.config());
          ExecutorService pool = Executors.newFixedThreadPool(2)) {
        CyclicBarrier together = new CyclicBarrier(2);
        List<Callable<Boolean>> both = new ArrayList<>();
        for (Database d : List.of(first, second)) {
          VendorKeyStore s = VendorKeyStore.open(d, clock);
          both.add(
              () -> {
                together.await(30, TimeUnit.SECONDS);
                return s.vectors().createMissing(0, List.of(0, 1), random);
              });
        }
        int created = 0;
        for (Future<Boolean> f : pool.invokeAll(both)) {
          created += f.get() ? 1 : 0;
        }
        assertThat(created).as("round %d: master secrets created", round).isEqualTo(1);
        MasterSecrets a = VendorKeyStore.open(first, clock).vectors().loadMasterSecrets();
        MasterSecrets b = VendorKeyStore.open(second, clock).vectors().loadMasterSecrets();
        assertThat(a.secret(0).sameAs(b.secret(0))).as("round %d", round).isTrue();
        CustomerSecrets ca = VendorKeyStore.open(first, clock).vectors().loadCustomerSecrets();
        CustomerSecrets cb = VendorKeyStore.open(second, clock).vectors().loadCustomerSecrets();
        assertThat(ca.selectors()).containsExactly(0, 1);
        assertThat(ca.secret(1).sameAs(cb.secret(1))).as("round %d", round).isTrue();
      }
    }
  }

  @Test
  @SuppressWarnings("ObjectToString") // the default toString is what must not leak
  void storedSecrets_neverAppearInToStringOrErrors() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    store.vectors().saveMasterSecrets(m);
    String hex = HexFormat.of().formatHex(m.secret(1).toByteArray());
    MasterSecrets loaded = store.vectors().loadMasterSecrets();
    assertThat(loaded.toString()).doesNotContainIgnoringCase(hex);
    assertThat(store.toString()).doesNotContainIgnoringCase(hex);
  }

  @Test
  void load_twoPrimaryRows_isRefusedAsCorrupt() {
    MasterSecrets m = MasterSecrets.generate(1, random);
    m.rotate(2, random);
    store.vectors().saveMasterSecrets(m);
    db.withHandle(h -> h.execute("UPDATE vendor_master_secrets SET state = 'PRIMARY'"));
    assertThatThrownBy(store.vectors()::loadMasterSecrets)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("at most one primary")
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CORRUPT);
  }

  @Test
  void rotate_demotesThePrimaryWithItsDates_andStoresTheNewPrimary() {
    Instant created = clock.instant();
    store.vectors().createMissing(0, List.of(), random);
    clock.advance(Duration.ofDays(3));
    MasterSecrets before = store.vectors().loadMasterSecrets();
    MasterSecrets fresh = MasterSecrets.generate(1, random);
    java.time.Instant expiresBy = java.time.Instant.parse("2030-01-02T03:04:05Z");

    int old = db.inTransaction(h -> store.vectors().rotate(h, 1, fresh.secret(1), expiresBy));

    assertThat(old).isZero();
    MasterSecrets after = store.vectors().loadMasterSecrets();
    assertThat(after.keys())
        .containsExactly(
            new MasterSecrets.KeyInfo(0, KeyState.ACTIVE),
            new MasterSecrets.KeyInfo(1, KeyState.PRIMARY));
    assertThat(after.secret(0).sameAs(before.secret(0))).isTrue();
    assertThat(after.secret(1).sameAs(fresh.secret(1))).isTrue();
    List<MasterKeyRecord> records = store.vectors().describeMasterSecrets();
    // Dated by the vendor's clock, never the system's.
    assertThat(records.get(0).createdAt()).isEqualTo(created);
    assertThat(records.get(0).demotedAt()).isEqualTo(clock.instant());
    assertThat(records.get(0).expiresBy()).isEqualTo(expiresBy);
    assertThat(records.get(0).retiredAt()).isNull();
    assertThat(records.get(1).createdAt()).isEqualTo(clock.instant());
    assertThat(records.get(1).demotedAt()).isNull();
  }

  @Test
  void rotate_ontoAStoredKeyId_changesNothing() {
    store.vectors().createMissing(0, List.of(), random);
    MasterSecrets fresh = MasterSecrets.generate(0, random);

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    h -> store.vectors().rotate(h, 0, fresh.secret(0), java.time.Instant.now())))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.vectors().loadMasterSecrets().keys())
        .containsExactly(new MasterSecrets.KeyInfo(0, KeyState.PRIMARY));
  }

  @Test
  void setMasterState_retired_recordsWhen() {
    store.vectors().createMissing(0, List.of(), random);
    MasterSecrets fresh = MasterSecrets.generate(1, random);
    db.inTransaction(h -> store.vectors().rotate(h, 1, fresh.secret(1), java.time.Instant.now()));

    clock.advance(Duration.ofDays(1));
    db.inTransaction(h -> store.vectors().setMasterState(h, 0, KeyState.RETIRED));

    MasterKeyRecord r = store.vectors().describeMasterSecrets().getFirst();
    assertThat(r.state()).isEqualTo(KeyState.RETIRED);
    assertThat(r.retiredAt()).isEqualTo(clock.instant());
  }

  @Test
  void usage_countsTheSpendsOfOneKeyIdOnly_andItsSerialMark() {
    VendorSchema.migrate(db);
    db.withHandle(
        h -> {
          for (long id : new long[] {(1L << 56) | 5, (1L << 56) | 6, (2L << 56), 200L << 56}) {
            h.createUpdate(
                    "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint) VALUES (:i, 1,"
                        + " :f)")
                .bind("i", id)
                .bind("f", new byte[16])
                .execute();
          }
          h.execute("INSERT INTO vendor_serials (key_id, reserved_to) VALUES (1, 65536)");
          return null;
        });

    assertThat(store.usage(1)).isEqualTo(new VendorKeyStore.KeyUsage(65_536, 2));
    assertThat(store.usage(2)).isEqualTo(new VendorKeyStore.KeyUsage(0, 1));
    assertThat(store.usage(200)).isEqualTo(new VendorKeyStore.KeyUsage(0, 1));
    assertThat(store.usage(255)).isEqualTo(new VendorKeyStore.KeyUsage(0, 0));
  }
}
