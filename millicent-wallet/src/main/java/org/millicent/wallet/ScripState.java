package org.millicent.wallet;

/** Where a piece of scrip held by the wallet stands. */
public enum ScripState {
  /** Unspent and ready to pay with. */
  AVAILABLE("available"),
  /** Carried by a payment that has left, or may have left; settled when its answer is read. */
  IN_FLIGHT("in-flight"),
  /** Spent at its vendor (its change, if any, is held as new scrip). */
  SPENT("spent"),
  /** Refused by its vendor and worth nothing: expired, its key retired, or not recognised. */
  VOID("void");

  private final String wireName;

  ScripState(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored and printed. */
  public String wireName() {
    return wireName;
  }

  /**
   * The state with this name.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static ScripState of(String name) {
    for (ScripState s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scrip state " + name);
  }
}
