package org.millicent.broker.books;

/**
 * One ledger account as the books hold it in memory: its id, unique name, kind and balance
 * (including entries submitted but not yet durable). The balance changes only under the books'
 * decision lock.
 */
public final class LedgerAccount {
  private final long id;
  private final String name;
  private final AccountKind kind;
  private long balance;

  LedgerAccount(long id, String name, AccountKind kind, long balance) {
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.balance = balance;
  }

  /** The account's id. */
  public long id() {
    return id;
  }

  /** The account's unique name, e.g. {@code customer:72057594037927937}. */
  public String name() {
    return name;
  }

  /** The account's kind. */
  public AccountKind kind() {
    return kind;
  }

  /** The balance in millicents, debit positive, including submitted entries. */
  public long balance() {
    return balance;
  }

  void add(long amount) {
    balance = Math.addExact(balance, amount);
  }

  void set(long b) {
    balance = b;
  }

  @Override
  public String toString() {
    return name + "=" + balance;
  }
}
