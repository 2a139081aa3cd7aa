package org.millicent.broker.supply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payer;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

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

  /** One piece of stock. */
  public record Piece(long scripId, String token, long valueMillicents, long expiresAtMillis) {}

  private final VendorConfig config;
  private final Books books;
  private final VendorClient client;
  private volatile CustomerSecret brokerSecret;
  private final Deque<Piece> available = new ArrayDeque<>();

  /** The warehouse of {@code config}'s vendor, with its stock loaded from the books. */
  public WarehouseVendor(VendorConfig config, Books books, VendorClient client) {
    this.config = config;
    this.books = books;
    this.client = client;
    this.brokerSecret =
        config.customerSecret().map(s -> CustomerSecret.of(s.toByteArray())).orElse(null);
    reload();
    books.onReload(this::reload);
  }

  private synchronized void reload() {
    available.clear();
    books
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT scrip_id, token, value, expires_at FROM warehouse_stock"
                            + " WHERE vendor = ? AND state = 0 ORDER BY expires_at, scrip_id")
                    .bind(0, config.vendor())
                    .map(
                        (rs, ctx) ->
                            new Piece(
                                rs.getLong(1),
                                ScripCodec.toToken(ScripCodec.decode(rs.getBytes(2))),
                                rs.getLong(3),
                                rs.getLong(4)))
                    .forEach(available::add));
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
  public synchronized int stock() {
    return available.size();
  }

  /**
   * Takes {@code count} pieces from stock, buying lots from the vendor when stock runs short and
   * writing off pieces about to expire.
   *
   * @throws BrokerException {@code vendor-unavailable} when a lot cannot be bought
   */
  public synchronized List<Piece> take(int count, Instant now) {
    List<Piece> out = new ArrayList<>(count);
    List<Piece> expired = new ArrayList<>();
    long horizon = now.plus(EXPIRY_MARGIN).toEpochMilli();
    try {
      while (out.size() < count) {
        Piece p = available.pollFirst();
        if (p == null) {
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
  public synchronized void giveBack(List<Piece> pieces) {
    for (int i = pieces.size() - 1; i >= 0; i--) {
      available.addFirst(pieces.get(i));
    }
  }

  private void buyLot(Instant now) {
    int n = config.lotCount();
    long v = config.lotValueMillicents();
    VendorClient.Lot lot = client.buyLot(config.url(), config.token().orElseThrow(), n, v);
    List<Piece> pieces = new ArrayList<>();
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
      pieces.add(new Piece(s.id().toLong(), t, v, s.expiresAt().toEpochMilli()));
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
                          (h, entryId) -> {
                            h.createUpdate(
                                    "INSERT INTO lots (id, vendor, at, pieces, value, amount_due,"
                                        + " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
                                .bind(0, lotId)
                                .bind(1, vendor())
                                .bind(2, at)
                                .bind(3, pieces.size())
                                .bind(4, face)
                                .bind(5, due)
                                .bind(6, entryId)
                                .execute();
                            var b =
                                h.prepareBatch(
                                    "INSERT INTO warehouse_stock (vendor, scrip_id, value,"
                                        + " expires_at, token, lot_entry, state)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, 0)");
                            for (int i = 0; i < pieces.size(); i++) {
                              Piece p = pieces.get(i);
                              b.bind(0, vendor())
                                  .bind(1, p.scripId())
                                  .bind(2, p.valueMillicents())
                                  .bind(3, p.expiresAtMillis())
                                  .bind(4, encodings.get(i))
                                  .bind(5, entryId)
                                  .add();
                            }
                            b.execute();
                          }));
            }));
    available.addAll(pieces);
  }

  private void writeOff(List<Piece> expired, Instant now) {
    long total = expired.stream().mapToLong(Piece::valueMillicents).sum();
    long at = now.toEpochMilli();
    books.submitAndAwait(
        new Entry("write-off")
            .post(books.decide(() -> books.account("write-off", AccountKind.WRITE_OFF)), total)
            .post(
                books.decide(() -> books.account("inventory:" + vendor(), AccountKind.INVENTORY)),
                -total)
            .write(
                (h, entryId) -> {
                  var b =
                      h.prepareBatch(
                          "UPDATE warehouse_stock SET state = 2, used_at = ?"
                              + " WHERE vendor = ? AND scrip_id = ? AND state = 0");
                  for (Piece p : expired) {
                    b.bind(0, at).bind(1, vendor()).bind(2, p.scripId()).add();
                  }
                  b.execute();
                }));
  }

  /** Adds the write marking {@code pieces} used to {@code entry}. */
  public void markUsed(Entry entry, List<Piece> pieces, long atMillis) {
    entry.write(
        (h, entryId) -> {
          var b =
              h.prepareBatch(
                  "UPDATE warehouse_stock SET state = 1, used_at = ?"
                      + " WHERE vendor = ? AND scrip_id = ? AND state = 0");
          for (Piece p : pieces) {
            b.bind(0, atMillis).bind(1, vendor()).bind(2, p.scripId()).add();
          }
          int[] counts = b.execute();
          for (int c : counts) {
            if (c != 1) {
              throw new IllegalStateException("warehouse stock of " + vendor() + " was used twice");
            }
          }
        });
  }

  /**
   * The reference the vendor keeps a stable customer ID under: keyed by the customer's broker
   * secret, so it is stable, unguessable, and different at every vendor.
   */
  public String customerRef(CustomerSecret brokerCustomerSecret) {
    byte[] mac =
        brokerCustomerSecret.hmac(
            ("millicent-customer-ref-v1:" + vendor()).getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(mac, 16));
  }

  /**
   * Exchanges {@code pieces} at the vendor into scrip bound to the customer.
   *
   * @throws BrokerException {@code vendor-unavailable} when the vendor fails or answers with scrip
   *     that is not what was asked for
   */
  public Exchanged exchange(List<Piece> pieces, String customerRef, long amount) {
    VendorClient.Exchanged ex =
        client.exchange(
            config.url(),
            config.token().orElseThrow(),
            pieces.stream().map(Piece::token).toList(),
            customerRef);
    Scrip s;
    CustomerSecret secret;
    try {
      s = ScripCodec.fromToken(ex.scrip());
      secret =
          Payer.openSecret(brokerSecret(), vendor(), ex.customerId(), ex.sealedCustomerSecret());
    } catch (PaymentException e) {
      throw new BrokerException(
          BrokerError.VENDOR_UNAVAILABLE,
          "vendor "
              + vendor()
              + " answered the exchange with scrip or a secret that does not"
              + " decode or verify: "
              + e.getMessage(),
          e);
    }
    if (!s.vendor().equals(vendor())
        || s.valueMillicents() != amount
        || s.customerId() != ex.customerId()) {
      throw new BrokerException(
          BrokerError.VENDOR_UNAVAILABLE,
          "vendor "
              + vendor()
              + " answered the exchange with scrip worth "
              + s.valueMillicents()
              + " for customer "
              + Long.toUnsignedString(s.customerId())
              + ", expected "
              + amount
              + " for "
              + Long.toUnsignedString(ex.customerId()));
    }
    return new Exchanged(s, secret);
  }

  /** The broker's customer secret at the vendor: configured, or asked of the vendor once. */
  private CustomerSecret brokerSecret() {
    CustomerSecret s = brokerSecret;
    if (s == null) {
      s = client.brokerAccount(config.url(), config.token().orElseThrow());
      brokerSecret = s;
    }
    return s;
  }

  /** Scrip exchanged into a customer's name and the customer's secret at the vendor. */
  public record Exchanged(Scrip scrip, CustomerSecret secret) {
    /** Never prints the secret. */
    @Override
    public String toString() {
      return "Exchanged[" + scrip.id() + "]";
    }
  }
}
