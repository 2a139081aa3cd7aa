package org.millicent.wallet;

import java.time.Instant;
import java.util.Optional;

/**
 * One payment the wallet made or tried: a purchase at a vendor, an exchange (renew or merge) at a
 * vendor, or a purchase of vendor scrip from a broker. Immutable.
 *
 * @param id the payment's number in the wallet
 * @param kind {@code purchase}, {@code exchange} or {@code buy}
 * @param vendor the vendor paid (for a buy, the vendor whose scrip was bought)
 * @param method the HTTP method
 * @param url the URL
 * @param state {@code in-flight}, {@code done} or {@code failed}
 * @param offeredPriceMillicents the price offered (for a buy, the amount asked for)
 * @param priceMillicents what was charged, once known
 * @param changeMillicents the change received, once known
 * @param outcome {@code ok} or the failure code
 * @param detail a sentence on what happened, when there is more to say
 * @param startedAt when the payment was recorded (before it left)
 * @param finishedAt when it was settled
 */
public record HistoryEntry(
    long id,
    String kind,
    String vendor,
    String method,
    String url,
    String state,
    long offeredPriceMillicents,
    Optional<Long> priceMillicents,
    Optional<Long> changeMillicents,
    Optional<String> outcome,
    Optional<String> detail,
    Instant startedAt,
    Optional<Instant> finishedAt) {}
