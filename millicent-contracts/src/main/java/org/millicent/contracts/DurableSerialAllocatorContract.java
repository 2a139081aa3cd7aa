package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.millicent.purchase.SerialAllocator;

/**
 * What a durable {@link SerialAllocator} must do beyond {@link SerialAllocatorContract}: a serial
 * it handed out is never handed out again by an allocator opened later on the same store, after a
 * clean close or without one (a crash).
 *
 * <p>The broker's {@code IssuerSerials} does not extend this: its serials are durable through the
 * {@code issued_scrip} rows the broker writes before it hands scrip out, so a serial whose row was
 * never written (nobody saw that scrip) may be issued again, by design.
 *
 * @param <A> the allocator under test
 */
public abstract class DurableSerialAllocatorContract<A extends SerialAllocator>
    extends SerialAllocatorContract<A> {

  /** Creates a contract test. */
  protected DurableSerialAllocatorContract() {}

  @Test
  void anotherAllocatorWithoutClose_asAfterACrash_neverReissues() throws Exception {
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = allocator.next(2);
    }
    A afterCrash = open();
    try {
      assertThat(afterCrash.next(2)).isGreaterThan(last);
    } finally {
      close(afterCrash);
    }
  }

  @Test
  void reopenAfterClose_neverReissues() throws Exception {
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = allocator.next(3);
    }
    close(allocator);
    allocator = open();
    assertThat(allocator.next(3)).isGreaterThan(last);
  }
}
