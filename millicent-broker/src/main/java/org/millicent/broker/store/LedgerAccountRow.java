package org.millicent.broker.store;

import org.millicent.broker.books.AccountKind;

/** One row of {@code ledger_accounts} as stored. */
public record LedgerAccountRow(long id, String name, AccountKind kind, long balance) {}
