package org.millicent.broker.store;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@code warehouse_exchanges} as stored: the exact request body sent to the vendor, and
 * the vendor's answer once known (the supply's {@code RecordedExchange} reads it).
 *
 * @param id the exchange's id
 * @param customerId the broker's customer it is for
 * @param saleKey the customer's request it serves (account request MAC or purchase fingerprint)
 * @param amountMillicents the value exchanged
 * @param body the request body, resent unchanged
 * @param answerCustomerId the customer ID the vendor answered with (0 while not answered)
 * @param answerScrip the scrip the vendor answered with, binary; null while not answered
 * @param answerSealedSecret the customer secret sealed for the customer; null while not answered
 */
public record ExchangeRow(
    long id,
    long customerId,
    byte[] saleKey,
    long amountMillicents,
    byte[] body,
    long answerCustomerId,
    byte @Nullable [] answerScrip,
    byte @Nullable [] answerSealedSecret) {}
