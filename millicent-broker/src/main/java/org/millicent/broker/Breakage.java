package org.millicent.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.store.IssuedValue;
import org.millicent.scrip.ScripId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breakage (docs/BROKER.md, "Breakage"): broker scrip that expired unspent. Once its expiry is
 * {@link #GRACE} in the past (no payment or exchange that began before the expiry can still be
 * booking it), a sweep moves its value from {@code outstanding:<broker>} to {@code breakage} and
 * marks its {@code issued_scrip} row expired, so the books no longer call it outstanding. The sweep
 * runs before statements close (on their 10-minute schedule and at start) and can be asked for.
 * Breakage is reported per period by the scrip's expiry. Licensed vendor scrip is not swept: a
 * vendor may report it after its expiry, and it stays outstanding until settled.
 *
 * <p>Thread-safe: each chunk is decided under the books' decision lock.
 */
final class Breakage {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /** How long after its expiry unspent broker scrip is recognised as breakage. */
  static final Duration GRACE = Duration.ofMinutes(5);

  private static final int CHUNK = 10_000;

  private final String brokerId;
  private final Books books;

  Breakage(String brokerId, Books books) {
    this.brokerId = brokerId;
    this.books = books;
  }

  /** As {@link #recognise}, but a failure is logged instead of thrown (the next sweep retries). */
  void recogniseLogged(Instant now) {
    try {
      recognise(now);
    } catch (RuntimeException e) {
      log.warn("broker: recognising breakage failed: {}", e.getMessage());
    }
  }

  /**
   * Recognises as breakage the broker scrip that expired unspent at least {@link #GRACE} before
   * {@code now}.
   *
   * @return the value recognised
   * @throws BrokerException {@code storage-unavailable} when the books cannot be written (nothing
   *     of the failed chunk is recognised; the next sweep retries it)
   */
  long recognise(Instant now) {
    long horizon = now.minus(GRACE).toEpochMilli();
    long at = now.toEpochMilli();
    long total = 0;
    while (true) {
      List<IssuedValue> rows =
          new IssuedScripStore(books.database()).expiredOutstanding(brokerId, horizon, CHUNK);
      if (rows.isEmpty()) {
        return total;
      }
      long sum = rows.stream().mapToLong(IssuedValue::valueMillicents).sum();
      books.await(
          books.decide(
              () ->
                  books.submit(
                      new Entry("breakage")
                          .post(Issuance.outstanding(books, brokerId), sum)
                          .post(books.account("breakage", AccountKind.BREAKAGE), -sum)
                          .write(
                              (h, entryId) -> {
                                List<ScripId> ids = rows.stream().map(IssuedValue::id).toList();
                                for (int n :
                                    IssuedScripStore.closeOutstanding(
                                        h, brokerId, ids, IssuedScrip.EXPIRED, at, entryId)) {
                                  if (n != 1) {
                                    throw new IllegalStateException(
                                        "broker scrip recognised as breakage was no longer"
                                            + " outstanding");
                                  }
                                }
                              }))));
      total += sum;
      if (rows.size() < CHUNK) {
        return total;
      }
    }
  }

  /** Breakage recognised so far, per period of the scrip's expiry (label to millicents). */
  Map<String, Long> byPeriod(StatementPeriod period) {
    Map<String, Long> out = new TreeMap<>();
    new IssuedScripStore(books.database())
        .valueByExpiryDay(brokerId, IssuedScrip.EXPIRED)
        .forEach(
            (day, value) ->
                out.merge(
                    period.containing(Instant.ofEpochMilli(day * 86_400_000L)).label(),
                    value,
                    Long::sum));
    return out;
  }
}
