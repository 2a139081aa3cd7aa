package org.millicent.broker.store;

/** One row of {@code customers} as stored (the customer secret is derived, never stored). */
public record CustomerRow(
    long id, String name, String provider, long creditLimitMillicents, long createdAtMillis) {}
