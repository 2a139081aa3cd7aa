package org.millicent.wallet;

import java.time.Instant;
import java.util.Optional;

/**
 * What the wallet holds for one vendor. Immutable.
 *
 * @param vendor the vendor
 * @param availableMillicents the value of available scrip
 * @param availablePieces how many pieces that is
 * @param inFlightMillicents the value of scrip carried by payments not yet settled
 * @param inFlightPieces how many pieces that is
 * @param nextExpiry when the first available piece expires, if any is held
 */
public record VendorBalance(
    String vendor,
    long availableMillicents,
    int availablePieces,
    long inFlightMillicents,
    int inFlightPieces,
    Optional<Instant> nextExpiry) {}
