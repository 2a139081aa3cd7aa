/**
 * Contract suites of core's store interfaces: abstract JUnit test classes that an implementation's
 * test class extends, supplying only how to open the store. Layered by what an implementation
 * promises: {@link org.millicent.contracts.SpendClaimContract} (claims, releases, exactly one
 * winner) is what every {@link org.millicent.purchase.SpendRecorder} passes; {@link
 * org.millicent.contracts.SpendRecorderContract} adds commits that replay and one-step spends;
 * {@link org.millicent.contracts.DurableSpendRecorderContract} adds durability across a reopen. The
 * same for serials: {@link org.millicent.contracts.SerialAllocatorContract} and {@link
 * org.millicent.contracts.DurableSerialAllocatorContract}; and for the records of exchanges: {@link
 * org.millicent.contracts.ExchangeRecorderContract} and {@link
 * org.millicent.contracts.DurableExchangeRecorderContract}.
 */
@NullMarked
package org.millicent.contracts;

import org.jspecify.annotations.NullMarked;
