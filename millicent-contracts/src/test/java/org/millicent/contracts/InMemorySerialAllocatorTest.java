package org.millicent.contracts;

import org.millicent.purchase.InMemorySerialAllocator;

/** Core's in-memory serial counters against the serial contract (not durable). */
class InMemorySerialAllocatorTest extends SerialAllocatorContract<InMemorySerialAllocator> {
  @Override
  protected InMemorySerialAllocator open() {
    return new InMemorySerialAllocator();
  }
}
