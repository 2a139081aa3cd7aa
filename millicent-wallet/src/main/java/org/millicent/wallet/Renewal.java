package org.millicent.wallet;

import java.time.Instant;
import org.millicent.scrip.ScripId;

/**
 * A piece renewed at its vendor.
 *
 * @param vendor the vendor
 * @param oldId the piece given in
 * @param newId the piece received
 * @param valueMillicents the value of both
 * @param oldExpiry when the old piece would have expired
 * @param newExpiry when the new piece expires
 */
public record Renewal(
    String vendor,
    ScripId oldId,
    ScripId newId,
    long valueMillicents,
    Instant oldExpiry,
    Instant newExpiry) {}
