package org.millicent.broker.supply;

/**
 * A vendor's answer to a warehouse exchange: scrip exchanged at the vendor into a customer's name,
 * with that customer's secret sealed under the broker's.
 *
 * @param customerId the customer id at the vendor the scrip is bound to
 * @param scrip the scrip, as a token
 * @param sealedCustomerSecret the customer's secret, sealed under the broker's secret at the vendor
 */
public record ExchangeAnswer(long customerId, String scrip, byte[] sealedCustomerSecret) {}
