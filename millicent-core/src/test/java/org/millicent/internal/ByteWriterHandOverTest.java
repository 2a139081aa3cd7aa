package org.millicent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link ByteWriter#toByteArray} hands over its own array when the writer is exactly full; these
 * check that no caller can see that array change afterwards.
 */
class ByteWriterHandOverTest {
  @Test
  void toByteArray_exactlyFull_thenWritingMore_leavesTheFirstResultUnchanged() {
    ByteWriter w = new ByteWriter(3).u16(0x0102).u8(3);

    byte[] first = w.toByteArray();
    w.u8(4).u64(-1L);
    byte[] second = w.toByteArray();

    assertThat(first).containsExactly(1, 2, 3);
    assertThat(second).hasSize(12).startsWith(1, 2, 3, 4);
  }

  @Test
  void toByteArray_askedTwice_givesTwoIndependentArrays() {
    ByteWriter w = new ByteWriter(2).u16(0x0102);

    byte[] first = w.toByteArray();
    byte[] second = w.toByteArray();
    second[0] = 9;

    assertThat(first).containsExactly(1, 2);
  }

  @Test
  void toByteArray_notFull_isACopyOfWhatWasWritten() {
    ByteWriter w = new ByteWriter(64).u8(7);

    assertThat(w.toByteArray()).containsExactly(7);
    assertThat(new ByteWriter(0).toByteArray()).isEmpty();
  }
}
