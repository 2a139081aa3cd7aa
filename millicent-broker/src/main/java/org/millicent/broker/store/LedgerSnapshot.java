package org.millicent.broker.store;

import java.util.List;

/** The durable ledger accounts and the next free account and journal entry ids. */
public record LedgerSnapshot(
    List<LedgerAccountRow> accounts, long nextAccountId, long nextEntryId) {
  /** Copies {@code accounts}. */
  public LedgerSnapshot {
    accounts = List.copyOf(accounts);
  }
}
