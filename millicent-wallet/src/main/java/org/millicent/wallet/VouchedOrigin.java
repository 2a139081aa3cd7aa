package org.millicent.wallet;

import java.time.Instant;

/**
 * An origin the wallet may pay a vendor's scrip at (docs/WALLET.md, "Vouched origins"), and who
 * vouched for it. Immutable.
 *
 * @param vendor the vendor id
 * @param origin {@code scheme://host:port}, the port always written out
 * @param source {@link #USER} when the user vouched for it ({@code millicent wallet vendors add}),
 *     else the base URL of the broker whose manifest lists it (or whose own origin it is)
 * @param addedAt when the wallet learned it
 */
public record VouchedOrigin(String vendor, String origin, String source, Instant addedAt) {
  /** The source of an origin the user vouched for. */
  public static final String USER = "user";

  /** Whether the user, not a broker, vouched for it. */
  public boolean byUser() {
    return USER.equals(source);
  }
}
