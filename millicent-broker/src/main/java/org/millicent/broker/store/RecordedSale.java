package org.millicent.broker.store;

/**
 * A sale as {@code issued_scrip} records it: who issued the scrip, its encoded token, its supply
 * (wire name), the sealed customer secret (null for broker scrip and licensed vendors) and the
 * broker customer it was sold to.
 */
public record RecordedSale(
    String issuer, byte[] token, String supply, byte[] sealedSecret, long customerId) {}
