package org.millicent.wallet;

import java.time.Instant;
import java.util.Optional;

/**
 * An origin the wallet may pay a vendor's scrip at (docs/WALLET.md, "Vouched origins"), who vouched
 * for it, and whose scrip may be paid there. Immutable.
 *
 * @param vendor the vendor id
 * @param origin {@code scheme://host:port}, the port always written out
 * @param source {@link #USER} when the user vouched for it ({@code millicent wallet vendors add}),
 *     else the base URL of the broker whose manifest lists it (or whose own origin it is)
 * @param addedAt when the wallet learned it
 * @param broker the base URL of the broker whose scrip for {@code vendor} may be paid there (and
 *     bought for it): the vouching broker itself, or the one the user named; empty when the user
 *     vouched for it for every broker
 */
public record VouchedOrigin(
    String vendor, String origin, String source, Instant addedAt, Optional<String> broker) {
  /** The source of an origin the user vouched for. */
  public static final String USER = "user";

  /** An origin a broker vouched for (only its own scrip may be paid there), or the user for all. */
  public VouchedOrigin(String vendor, String origin, String source, Instant addedAt) {
    this(
        vendor,
        origin,
        source,
        addedAt,
        USER.equals(source) ? Optional.empty() : Optional.of(source));
  }

  /** Whether the user, not a broker, vouched for it. */
  public boolean byUser() {
    return USER.equals(source);
  }

  /**
   * Whether scrip sold by the broker at {@code brokerUrl} may be paid there ({@code ""}: a piece
   * whose broker is not known, paid only where the user vouched for every broker).
   */
  public boolean admits(String brokerUrl) {
    return broker.isEmpty() || broker.get().equals(brokerUrl);
  }
}
