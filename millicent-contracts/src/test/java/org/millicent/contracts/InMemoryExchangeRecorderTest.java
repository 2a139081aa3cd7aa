package org.millicent.contracts;

import org.millicent.purchase.InMemoryExchangeRecorder;

/** Core's in-memory exchange recorder against the exchange contract (not durable). */
class InMemoryExchangeRecorderTest extends ExchangeRecorderContract<InMemoryExchangeRecorder> {
  @Override
  protected InMemoryExchangeRecorder open() {
    return new InMemoryExchangeRecorder();
  }
}
