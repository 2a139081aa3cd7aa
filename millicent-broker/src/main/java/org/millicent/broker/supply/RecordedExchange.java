package org.millicent.broker.supply;

import org.jspecify.annotations.Nullable;

/**
 * A warehouse exchange recorded in the books: the exact request body sent to the vendor, and the
 * vendor's answer once known.
 *
 * @param id the exchange's id
 * @param customerId the broker's customer it is for
 * @param saleKey the customer's request it serves (account request MAC or purchase fingerprint)
 * @param amountMillicents the value exchanged
 * @param body the request body, resent unchanged
 * @param answer the vendor's answer, or null while it is not known
 */
public record RecordedExchange(
    long id,
    long customerId,
    byte[] saleKey,
    long amountMillicents,
    byte[] body,
    @Nullable ExchangeAnswer answer) {}
