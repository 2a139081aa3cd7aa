package org.millicent.keys;

/** The life of a master scrip secret: it mints, then only validates, then is gone. */
public enum KeyState {
  /** Mints new scrip and validates. Exactly one key per vector is primary. */
  PRIMARY,
  /** Validates scrip already issued under it, mints nothing. */
  ACTIVE,
  /** Validates nothing: all its scrip has expired (or it was withdrawn). */
  RETIRED
}
