package org.millicent.broker.store;

/** One row of {@code ledger_accounts} as stored ({@code kind}: an account kind's name). */
public record LedgerAccountRow(long id, String name, String kind, long balance) {}
