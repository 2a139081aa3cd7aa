package org.millicent.broker.store;

/**
 * The spend of a piece of broker scrip as the books hold it: the request's fingerprint, the price.
 */
public record RecordedSpend(byte[] fingerprint, long priceMillicents) {}
