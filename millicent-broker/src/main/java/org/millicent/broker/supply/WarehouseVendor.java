package org.millicent.broker.supply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.store.StockPiece;
import org.millicent.broker.store.WarehouseStore;
import org.millicent.bytes.Base64Url;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse for one vendor (docs/BROKER.md, "Warehouse"): vendor scrip bought in bulk lots at a
 * discount, held as inventory, and exchanged at the vendor into scrip bound to each buying
 * customer. Lots are booked as inventory at face value against what the vendor is owed, the
 * discount as commission. Pieces about to expire are written off rather than handed out.
 * Thread-safe.
 */
public final class WarehouseVendor {
  /** Pieces expiring sooner than this are not handed out. */
  public static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

  /** How often a customer's sale sends an exchange whose answer is lost before it gives up. */
  public static final int ATTEMPTS = 3;

  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(WarehouseVendor.class);

  private final VendorConfig config;
  private final Books books;
  private final WarehouseStore store;
  private final VendorClient client;
  private final WarehouseStock stock;
  private final ExchangeAnswers answers;

  /** The warehouse of {@code config}'s vendor, with its stock loaded from the books. */
  public WarehouseVendor(VendorConfig config, Books books, VendorClient client) {
    this.config = config;
    this.books = books;
    this.store = new WarehouseStore(books.database());
    this.client = client;
    this.answers = new ExchangeAnswers(config, client);
    this.stock = new WarehouseStock(config, books, store, client);
  }

  /** The vendor. */
  public String vendor() {
    return config.vendor();
  }

  /** The value of each piece: warehouse sales are whole multiples of it. */
  public long pieceValueMillicents() {
    return config.lotValueMillicents();
  }

  /** Pieces in stock. */
  public int stock() {
    return stock.size();
  }

  /**
   * Takes {@code count} pieces from stock, buying lots from the vendor when stock runs short and
   * writing off pieces about to expire.
   *
   * @throws BrokerException {@code vendor-unavailable} when a lot cannot be bought
   */
  private List<StockPiece> take(int count, Instant now) {
    return stock.take(count, now);
  }

  /** Returns pieces that were not used. */
  private void giveBack(List<StockPiece> pieces) {
    stock.giveBack(pieces);
  }

  /**
   * The reference the vendor keeps a stable customer ID under: keyed by the customer's broker
   * secret, so it is stable, unguessable, and different at every vendor.
   */
  public String customerRef(CustomerSecret brokerCustomerSecret) {
    byte[] mac =
        brokerCustomerSecret.hmac(
            ("millicent-customer-ref-v1:" + vendor()).getBytes(StandardCharsets.US_ASCII));
    return Base64Url.encode(java.util.Arrays.copyOf(mac, 16));
  }

  /**
   * The open exchange (answer unknown, or known and not yet sold) of the customer's request, if
   * any: a retry of the request continues it instead of taking other pieces.
   */
  public Optional<RecordedExchange> find(long customerId, byte[] saleKey) {
    return store.openExchange(vendor(), customerId, saleKey);
  }

  /** The exchanges whose answer is not known yet (for reconciliation). */
  public List<RecordedExchange> pending() {
    return store.pendingExchanges(vendor());
  }

  /**
   * Takes {@code count} pieces from stock and records the exchange of them into the customer's name
   * (the exact request body included) before anything is sent: from then on the pieces are out of
   * stock and belong to this exchange until its answer is booked.
   *
   * @throws BrokerException {@code vendor-unavailable} when a lot cannot be bought, {@code
   *     storage-unavailable} when the record cannot be written (the pieces go back to stock)
   */
  public RecordedExchange begin(
      int count,
      long customerId,
      byte[] saleKey,
      long amountMillicents,
      String customerRef,
      Instant now) {
    List<StockPiece> pieces = take(count, now);
    byte[] body =
        VendorClient.exchangeBody(pieces.stream().map(StockPiece::token).toList(), customerRef);
    long at = now.toEpochMilli();
    try {
      long id = books.decide(() -> books.nextId("warehouse_exchanges"));
      books.submitAndAwait(
          new Entry("exchange")
              .write(
                  (h, entryId) ->
                      requireAll(
                          WarehouseStore.insertExchange(
                              h,
                              id,
                              vendor(),
                              customerId,
                              saleKey,
                              amountMillicents,
                              body,
                              at,
                              pieces),
                          "taken for an exchange")));
      return new RecordedExchange(id, customerId, saleKey, amountMillicents, body, null);
    } catch (RuntimeException e) {
      giveBack(pieces);
      throw e;
    }
  }

  private void requireAll(int[] counts, String what) {
    for (int c : counts) {
      if (c != 1) {
        throw new IllegalStateException(
            "warehouse stock of " + vendor() + " was " + what + " twice");
      }
    }
  }

  /**
   * Learns the vendor's answer to a recorded exchange: sends the recorded request, unchanged, until
   * the answer is known (at most {@code attempts} times), records the answer, and returns the scrip
   * with the customer's secret. A refusal resolves the pieces: back to stock, or written off when
   * the vendor says they are no good.
   *
   * @throws BrokerException {@code vendor-unavailable} when the answer is still unknown (the
   *     exchange stays pending, for a retry of the customer's request or reconciliation) or the
   *     vendor refused (the exchange is closed)
   */
  public ExchangedScrip complete(RecordedExchange ex, int attempts, Instant now) {
    ExchangeAnswer answer = ex.answer();
    if (answer == null) {
      answer = ask(ex, attempts, now);
    }
    return answers.open(answer, ex.amountMillicents());
  }

  private ExchangeAnswer ask(RecordedExchange ex, int attempts, Instant now) {
    String last = "not sent";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      VendorClient.ExchangeOutcome o =
          client.exchange(config.url(), config.token().orElseThrow(), ex.body());
      switch (o) {
        case VendorClient.Done d -> {
          try {
            answers.open(d.exchanged(), ex.amountMillicents());
          } catch (BrokerException e) {
            last = e.getMessage();
            break;
          }
          recordAnswer(ex, d.exchanged(), now);
          return d.exchanged();
        }
        case VendorClient.Refused r -> {
          refused(ex, r, now);
          throw new BrokerException(
              BrokerError.VENDOR_UNAVAILABLE,
              "vendor "
                  + vendor()
                  + " refused the exchange: "
                  + r.status()
                  + " "
                  + r.code()
                  + " "
                  + r.detail());
        }
        case VendorClient.Unknown u -> {
          last = u.reason();
          if (attempt < attempts && !pause(u.retryAfter(), attempt)) {
            attempt = attempts;
          }
        }
      }
    }
    throw new BrokerException(
        BrokerError.VENDOR_UNAVAILABLE,
        "vendor "
            + vendor()
            + " has not answered exchange "
            + ex.id()
            + " ("
            + last
            + "); it is kept and sent again, unchanged, on a retry or at the next reconciliation");
  }

  /** Waits before another attempt; false when interrupted. */
  private static boolean pause(@Nullable Duration retryAfter, int attempt) {
    Duration d = retryAfter == null ? RETRY_PAUSE.multipliedBy(attempt) : retryAfter;
    if (d.compareTo(MAX_RETRY_PAUSE) > 0) {
      d = MAX_RETRY_PAUSE;
    }
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void recordAnswer(RecordedExchange ex, ExchangeAnswer a, Instant now) {
    Scrip s = ScripCodec.fromToken(a.scrip());
    books.submitAndAwait(
        new Entry("exchange answered")
            .write(
                (h, entryId) ->
                    WarehouseStore.recordAnswer(
                        h,
                        ex.id(),
                        now.toEpochMilli(),
                        a.customerId(),
                        ScripCodec.encode(s),
                        a.sealedCustomerSecret(),
                        s.expiresAt().toEpochMilli())));
  }

  /** The vendor refused: its pieces go back to stock, or are written off when no good. */
  private void refused(RecordedExchange ex, VendorClient.Refused r, Instant now) {
    log.warn(
        "broker: vendor {} refused warehouse exchange {}: {} {}; its pieces are {}",
        vendor(),
        ex.id(),
        r.status(),
        r.code(),
        r.piecesUnusable() ? "written off" : "back in stock");
    close(ex.id(), 3, r.piecesUnusable(), now);
  }

  /** Closes an exchange that will not be sold: its pieces are written off, or go back to stock. */
  private void close(long exchangeId, int state, boolean writeOff, Instant now) {
    long at = now.toEpochMilli();
    long value = store.heldValue(vendor(), exchangeId);
    Entry e = new Entry(writeOff ? "write-off" : "exchange refused");
    if (writeOff && value > 0) {
      books.decide(
          () -> {
            e.post(books.account("write-off", AccountKind.WRITE_OFF), value)
                .post(books.account("inventory:" + vendor(), AccountKind.INVENTORY), -value);
          });
    }
    e.write(
        (h, entryId) -> WarehouseStore.closeExchange(h, vendor(), exchangeId, state, writeOff, at));
    books.submitAndAwait(e);
    if (!writeOff) {
      stock.reload();
    }
  }

  /**
   * Reconciles the warehouse's exchanges (docs/BROKER.md, "Warehouse"): each one whose answer is
   * unknown is sent again, unchanged, once; an answer is recorded for the customer's retry, a
   * refusal resolves its pieces. An answered exchange whose scrip expired before the customer came
   * back for it is closed as unclaimed and its pieces written off. Failures are logged.
   *
   * @return how many exchanges are still pending
   */
  public int reconcile(Instant now) {
    int left = 0;
    for (RecordedExchange ex : pending()) {
      try {
        ask(ex, 1, now);
      } catch (BrokerException e) {
        log.warn(
            "broker: reconciling warehouse exchange {} at {}: {}",
            ex.id(),
            vendor(),
            e.getMessage());
        left++;
      }
    }
    List<Long> unclaimed = store.unclaimed(vendor(), now.toEpochMilli());
    for (long id : unclaimed) {
      log.warn(
          "broker: warehouse exchange {} at {} was never claimed by its customer before it"
              + " expired; its pieces are written off",
          id,
          vendor());
      close(id, 4, true, now);
    }
    return left;
  }

  /**
   * Whether the recorded exchange's answer is scrip that expires within {@link #EXPIRY_MARGIN} of
   * {@code now}, too late to hand out.
   */
  public boolean answerExpiring(RecordedExchange ex, Instant now) {
    return ex.answer() != null
        && !ScripCodec.fromToken(ex.answer().scrip()).expiresAt().isAfter(now.plus(EXPIRY_MARGIN));
  }

  /**
   * Closes an answered exchange whose scrip is too close to expiry to hand out (see {@link
   * #answerExpiring}) as unclaimed: its pieces are written off.
   */
  public void closeUnclaimed(RecordedExchange ex, Instant now) {
    log.warn(
        "broker: warehouse exchange {} at {} was claimed too late, its scrip expires; its pieces"
            + " are written off",
        ex.id(),
        vendor());
    close(ex.id(), 4, true, now);
  }

  /**
   * Adds to {@code entry} the writes that book the exchange as sold: its pieces used, the exchange
   * closed.
   */
  public void markSold(Entry entry, RecordedExchange ex, long atMillis) {
    entry.write(
        (h, entryId) -> {
          if (!WarehouseStore.markSold(h, vendor(), ex.id(), atMillis)) {
            throw new IllegalStateException(
                "warehouse exchange " + ex.id() + " of " + vendor() + " was booked twice");
          }
        });
  }
}
