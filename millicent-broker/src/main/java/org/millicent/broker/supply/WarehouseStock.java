package org.millicent.broker.supply;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.store.StockPiece;
import org.millicent.broker.store.WarehouseStore;
import org.millicent.failure.PaymentException;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * A warehouse vendor's stock (docs/BROKER.md, "Warehouse"): the pieces held, lots bought when it
 * runs short, pieces about to expire written off. Thread-safe (its monitor guards the stock).
 */
final class WarehouseStock {
  private final VendorConfig config;
  private final Books books;
  private final WarehouseStore store;
  private final VendorClient client;
  private final Deque<StockPiece> available = new ArrayDeque<>();

  /** Set when the books failed a batch: the stock in memory may differ from the database. */
  private volatile boolean stale;

  WarehouseStock(VendorConfig config, Books books, WarehouseStore store, VendorClient client) {
    this.config = config;
    this.books = books;
    this.store = store;
    this.client = client;
    reload();
    // Only marks the stock stale: the books run reloaders under their own lock while a sale may
    // hold this stock's monitor waiting on those books (take -> buyLot), so reloading here would
    // deadlock. The next call that reads the stock reloads it first.
    books.onReload(() -> stale = true);
  }

  private String vendor() {
    return config.vendor();
  }

  /** Reloads the stock from the books when a failed batch of the books made it stale. */
  private synchronized void freshen() {
    if (stale) {
      try {
        reload();
      } catch (RuntimeException e) {
        throw new BrokerException(
            BrokerError.STORAGE_UNAVAILABLE,
            "the warehouse stock of " + vendor() + " cannot be read from the books now",
            e);
      }
      stale = false;
    }
  }

  synchronized void reload() {
    available.clear();
    available.addAll(store.available(config.vendor()));
  }

  /** Pieces in stock. */
  synchronized int size() {
    freshen();
    return available.size();
  }

  /**
   * Takes {@code count} pieces from stock, buying lots from the vendor when stock runs short and
   * writing off pieces about to expire.
   *
   * @throws BrokerException {@code vendor-unavailable} when a lot cannot be bought
   */
  synchronized List<StockPiece> take(int count, Instant now) {
    freshen();
    List<StockPiece> out = new ArrayList<>(count);
    List<StockPiece> expired = new ArrayList<>();
    long horizon = now.plus(WarehouseVendor.EXPIRY_MARGIN).toEpochMilli();
    // Enough lots for the pieces asked for, and one more: a vendor whose fresh scrip expires within
    // the margin (a short lifetime, or a clock far from the broker's) must not make the broker buy
    // and write off lot after lot.
    int lotsLeft = count / Math.max(1, config.lotCount()) + 2;
    try {
      while (out.size() < count) {
        StockPiece p = available.pollFirst();
        if (p == null) {
          if (lotsLeft-- == 0) {
            throw new BrokerException(
                BrokerError.VENDOR_UNAVAILABLE,
                "vendor "
                    + vendor()
                    + " sells scrip that expires within "
                    + WarehouseVendor.EXPIRY_MARGIN.toMinutes()
                    + " minutes of the broker's clock; no more lots are bought for this sale");
          }
          buyLot(now);
          continue;
        }
        if (p.expiresAtMillis() <= horizon) {
          expired.add(p);
        } else {
          out.add(p);
        }
      }
    } catch (RuntimeException e) {
      out.forEach(available::addFirst);
      throw e;
    } finally {
      if (!expired.isEmpty()) {
        writeOff(expired, now);
      }
    }
    return out;
  }

  /** Returns pieces that were not used. */
  synchronized void giveBack(List<StockPiece> pieces) {
    if (stale) {
      freshen(); // the database says which of them are in stock; adding them again would double
      return;
    }
    for (int i = pieces.size() - 1; i >= 0; i--) {
      available.addFirst(pieces.get(i));
    }
  }

  private void buyLot(Instant now) {
    int n = config.lotCount();
    long v = config.lotValueMillicents();
    VendorClient.Lot lot = client.buyLot(config.url(), config.token().orElseThrow(), n, v);
    List<StockPiece> pieces = new ArrayList<>();
    List<byte[]> encodings = new ArrayList<>();
    for (String t : lot.scrip()) {
      Scrip s;
      try {
        s = ScripCodec.fromToken(t);
      } catch (PaymentException e) {
        throw new BrokerException(
            BrokerError.VENDOR_UNAVAILABLE,
            "vendor " + vendor() + " sold a lot with undecodable scrip: " + e.getMessage(),
            e);
      }
      if (!s.vendor().equals(vendor()) || s.valueMillicents() != v) {
        throw new BrokerException(
            BrokerError.VENDOR_UNAVAILABLE,
            "vendor "
                + vendor()
                + " sold a lot piece of "
                + s.vendor()
                + " worth "
                + s.valueMillicents()
                + ", expected "
                + v);
      }
      pieces.add(new StockPiece(s.id().toLong(), t, v, s.expiresAt().toEpochMilli()));
      encodings.add(ScripCodec.encode(s));
    }
    long face = Math.multiplyExact((long) pieces.size(), v);
    long due = lot.amountDueMillicents();
    if (pieces.size() != n || due < 0 || due > face) {
      throw new BrokerException(
          BrokerError.VENDOR_UNAVAILABLE,
          "vendor "
              + vendor()
              + " sold "
              + pieces.size()
              + " pieces worth "
              + face
              + " for "
              + due
              + ", expected "
              + n
              + " pieces and an amount due within their value");
    }
    long at = now.toEpochMilli();
    books.await(
        books.decide(
            () -> {
              long lotId = books.nextId("lots");
              return books.submit(
                  new Entry("lot")
                      .post(books.account("inventory:" + vendor(), AccountKind.INVENTORY), face)
                      .post(books.account("payable:" + vendor(), AccountKind.VENDOR_PAYABLE), -due)
                      .post(books.account("commission", AccountKind.COMMISSION), due - face)
                      .write(
                          (h, entryId) ->
                              WarehouseStore.insertLot(
                                  h, lotId, vendor(), at, pieces, encodings, face, due, entryId)));
            }));
    available.addAll(pieces);
  }

  private void writeOff(List<StockPiece> expired, Instant now) {
    long total = expired.stream().mapToLong(StockPiece::valueMillicents).sum();
    long at = now.toEpochMilli();
    books.submitAndAwait(
        new Entry("write-off")
            .post(books.decide(() -> books.account("write-off", AccountKind.WRITE_OFF)), total)
            .post(
                books.decide(() -> books.account("inventory:" + vendor(), AccountKind.INVENTORY)),
                -total)
            .write((h, entryId) -> WarehouseStore.writeOff(h, vendor(), expired, at)));
  }
}
