package org.millicent.contracts;

import org.millicent.purchase.InMemorySpendRecorder;

/** Core's in-memory spent list against the spend contract (not durable: lost on restart). */
class InMemorySpendRecorderTest extends SpendRecorderContract<InMemorySpendRecorder> {
  @Override
  protected InMemorySpendRecorder open() {
    return new InMemorySpendRecorder();
  }
}
