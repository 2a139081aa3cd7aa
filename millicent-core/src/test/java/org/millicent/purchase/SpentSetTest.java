package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.millicent.scrip.ScripId;

class SpentSetTest {
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");

  private final SpentSet set = new SpentSet();

  @Test
  void mark_firstTimeSucceedsSecondTimeFails() {
    ScripId id = new ScripId(3, 12345);

    assertThat(set.contains(id)).isFalse();
    assertThat(set.mark(id, T1)).isTrue();
    assertThat(set.contains(id)).isTrue();
    assertThat(set.mark(id, T1)).isFalse();
    assertThat(set.markedCount()).isEqualTo(1);
  }

  @Test
  void mark_sameSerialUnderAnotherKeyId_isADifferentScrip() {
    assertThat(set.mark(new ScripId(0, 7), T1)).isTrue();

    assertThat(set.mark(new ScripId(1, 7), T1)).isTrue();
    assertThat(set.contains(new ScripId(2, 7))).isFalse();
    assertThat(set.blockCount()).isEqualTo(2);
  }

  @Test
  void unmark_makesTheSerialMarkableAgain() {
    ScripId id = new ScripId(0, 5);
    set.mark(id, T1);

    set.unmark(id);

    assertThat(set.contains(id)).isFalse();
    assertThat(set.markedCount()).isZero();
    assertThat(set.mark(id, T1)).isTrue();
  }

  @Test
  void dropExpiredBefore_dropsOnlyBlocksWhoseNewestScripHasExpired() {
    ScripId early = new ScripId(0, 10);
    ScripId late = new ScripId(0, SpentSet.BLOCK_SERIALS + 10);
    ScripId lateInEarlyBlock = new ScripId(1, 10);
    ScripId mixed = new ScripId(1, 11);
    set.mark(early, T1);
    set.mark(late, T2);
    set.mark(lateInEarlyBlock, T1);
    set.mark(mixed, T2);

    int dropped = set.dropExpiredBefore(T1.plusSeconds(1));

    assertThat(dropped).isEqualTo(1);
    assertThat(set.blockCount()).isEqualTo(2);
    assertThat(set.contains(early)).isFalse();
    assertThat(set.contains(late)).isTrue();
    assertThat(set.contains(lateInEarlyBlock))
        .as("a block is kept while any scrip in it is unexpired")
        .isTrue();
    assertThat(set.contains(mixed)).isTrue();
  }

  @Test
  void dropExpiredBlocks_namesTheFirstIdOfEachDroppedBlock() {
    set.mark(new ScripId(200, 3 * SpentSet.BLOCK_SERIALS + 17), T1);
    set.mark(new ScripId(200, 5 * SpentSet.BLOCK_SERIALS), T2);
    set.mark(new ScripId(3, ScripId.MAX_SERIAL), T1);

    assertThat(set.dropExpiredBlocks(T1.plusSeconds(1)))
        .containsExactlyInAnyOrder(
            new ScripId(200, 3L * SpentSet.BLOCK_SERIALS),
            new ScripId(3, ScripId.MAX_SERIAL - SpentSet.BLOCK_SERIALS + 1));
    assertThat(set.blockCount()).isEqualTo(1);
  }

  @Test
  void dropExpiredBefore_horizonNotPast_dropsNothing() {
    set.mark(new ScripId(0, 10), T1);

    assertThat(set.dropExpiredBefore(T1)).isZero();
    assertThat(set.contains(new ScripId(0, 10))).isTrue();
  }

  @Test
  void mark_scripThatExpiredBeforeADrop_isRefusedBecauseItsMarkMayBeGone() {
    ScripId id = new ScripId(0, 10);
    set.mark(id, T1);
    set.dropExpiredBefore(T2);

    assertThat(set.mark(id, T1)).isFalse();
    assertThat(set.mark(new ScripId(0, 11), T2))
        .as("scrip expiring at or after the horizon is still decided normally")
        .isTrue();
  }

  @Test
  void approximateBytes_aMillionSequentialSerials_costAboutOneBitEach() {
    int n = 1_000_000;
    int newlyMarked = 0;
    for (int serial = 0; serial < n; serial++) {
      newlyMarked += set.mark(new ScripId(0, serial), T1) ? 1 : 0;
    }

    assertThat(newlyMarked).isEqualTo(n);
    assertThat(set.markedCount()).isEqualTo(n);
    int blocks = (n + SpentSet.BLOCK_SERIALS - 1) / SpentSet.BLOCK_SERIALS;
    assertThat(set.blockCount()).isEqualTo(blocks);
    long oneBitEach = n / 8;
    assertThat(set.approximateBytes()).isBetween(oneBitEach, oneBitEach + oneBitEach / 10);
    assertThat(set.dropExpiredBefore(T1.plusSeconds(1))).isEqualTo(blocks);
    assertThat(set.approximateBytes()).isZero();
  }
}
