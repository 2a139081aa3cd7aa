package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.purchase.TestVendor.ALICE;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.failure.SpentException;
import org.millicent.protocol.Payment;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * The default {@link SpendRecorder#spend} (claim, commit, release on failure) and its use by pay.
 */
class SpendRecorderSpendTest {
  static final Instant EXPIRES = TestVendor.EXPIRES;

  /**
   * The in-memory recorder with a switch that makes commits fail, as a full disk would, or throw an
   * {@link Error}, as a JVM out of memory would.
   */
  static final class FailingCommits implements SpendRecorder {
    final InMemorySpendRecorder inner = new InMemorySpendRecorder();
    boolean failCommits;
    boolean errorOnCommit;
    int commits;

    @Override
    public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
      return inner.claim(id, expiresAt, fingerprint);
    }

    @Override
    public void commit(SpendRecord record) {
      if (failCommits) {
        throw new IllegalStateException("storage-full: the disk is full");
      }
      if (errorOnCommit) {
        throw new OutOfMemoryError("simulated: no heap left to commit");
      }
      commits++;
      inner.commit(record);
    }

    @Override
    public void release(ScripId id) {
      inner.release(id);
    }

    @Override
    public int dropExpiredBefore(Instant horizon) {
      return inner.dropExpiredBefore(horizon);
    }
  }

  /** {@code v}'s purchase service, recording its spends in {@code r}. */
  static PurchaseService over(FailingCommits r, TestVendor v) {
    return new PurchaseService(
        TestVendor.VENDOR,
        v.masters,
        v.customers,
        r,
        v.serials,
        v.clock,
        TestVendor.CHANGE_LIFETIME,
        v.service.accepted());
  }

  static SpendRecord record(long serial) {
    return new SpendRecord(new ScripId(0, serial), EXPIRES, new byte[16], 5, Optional.empty());
  }

  @Test
  void spend_freshScrip_isClaimedAndCommitted() {
    FailingCommits r = new FailingCommits();

    assertThat(r.spend(record(1))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(r.commits).isEqualTo(1);
    assertThat(r.inner.spentSet().contains(new ScripId(0, 1))).isTrue();
  }

  @Test
  void spend_secondTimeByAnotherRequest_isAlreadySpentAndCommitsNothing() {
    FailingCommits r = new FailingCommits();
    r.spend(record(2));
    SpendRecord other = record(2);
    other.fingerprint()[0] = 1;

    assertThat(r.spend(other)).isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(r.commits).isEqualTo(1);
  }

  @Test
  void spend_secondTimeBySameRequest_isReplayedAndCommitsNothing() {
    FailingCommits r = new FailingCommits();
    r.spend(record(2));

    assertThat(r.spend(record(2))).isEqualTo(new SpendRecorder.Replayed(5, Optional.empty()));
    assertThat(r.commits).isEqualTo(1);
  }

  @Test
  void spend_commitFails_throwsAndLeavesTheScripSpendable() {
    FailingCommits r = new FailingCommits();
    r.failCommits = true;

    assertThatThrownBy(() -> r.spend(record(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("storage-full");

    assertThat(r.inner.spentSet().contains(new ScripId(0, 3))).isFalse();
    r.failCommits = false;
    assertThat(r.spend(record(3))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void pay_storeFails_throwsAndTheSameScripPaysLater() {
    FailingCommits r = new FailingCommits();
    TestVendor v = new TestVendor();
    PurchaseService service = over(r, v);
    Scrip scrip = v.mint(1000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    r.failCommits = true;

    assertThatThrownBy(() -> service.pay(payment, Pricer.fixed(100)))
        .isInstanceOf(IllegalStateException.class);

    r.failCommits = false;
    Purchase p = service.pay(payment, Pricer.fixed(100));
    assertThat(p.isReplay()).isFalse();
    assertThat(p.change().orElseThrow().valueMillicents()).isEqualTo(900);
    assertThat(r.commits).isEqualTo(1);
    assertThatThrownBy(() -> service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(SpentException.class);
  }

  @Test
  void spend_commitThrowsAnError_rethrowsItAndLeavesTheScripSpendable() {
    FailingCommits r = new FailingCommits();
    r.errorOnCommit = true;

    assertThatThrownBy(() -> r.spend(record(4))).isInstanceOf(OutOfMemoryError.class);

    assertThat(r.inner.spentSet().contains(new ScripId(0, 4))).isFalse();
    r.errorOnCommit = false;
    assertThat(r.spend(record(4))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  /** A purchase begun and committed in two steps releases its claim on an Error too. */
  @Test
  void beginThenCommit_commitThrowsAnError_theSameScripPaysLater() {
    FailingCommits r = new FailingCommits();
    TestVendor v = new TestVendor();
    PurchaseService service = over(r, v);
    Scrip scrip = v.mint(1000, ALICE);
    Purchase begun = service.begin(v.signed(scrip), Pricer.fixed(100));
    r.errorOnCommit = true;

    assertThatThrownBy(begun::commit).isInstanceOf(OutOfMemoryError.class);

    r.errorOnCommit = false;
    Purchase p = service.pay(v.signed(scrip), Pricer.fixed(100));
    assertThat(p.isReplay()).isFalse();
    assertThat(p.change().orElseThrow().valueMillicents()).isEqualTo(900);
  }

  @Test
  void pay_returnsACommittedPurchase_releaseChangesNothing() {
    TestVendor v = new TestVendor();
    Scrip scrip = v.mint(1000, ALICE);

    Purchase p = v.service.pay(v.signed(scrip), Pricer.fixed(100));
    p.release();
    p.commit();

    assertThat(v.recorder.spentSet().contains(scrip.id())).isTrue();
  }
}
