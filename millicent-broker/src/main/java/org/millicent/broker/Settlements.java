package org.millicent.broker;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.store.SettlementStore;
import org.millicent.broker.supply.Licence;
import org.millicent.broker.supply.LicensedVendor;
import org.millicent.broker.supply.VendorClient;
import org.millicent.money.Amounts;
import org.millicent.scrip.ScripId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settlement with licensed vendors (docs/BROKER.md, "Settlement"): each piece of licensed scrip a
 * vendor received is paid to it once, at value x (1 - the licence's discount), and the difference
 * is the broker's commission; the vendor's report is pulled over HTTP or handed in. {@link Broker}
 * delegates to it.
 *
 * <p>Thread-safe: the IDs being settled are claimed under the books' decision lock, so two
 * settlements naming the same ID pay it once.
 */
final class Settlements {
  // Logs as the broker, the category operators configure.
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /**
   * Most scrip IDs one settlement may name: 40 000 IDs of 20 digits, quoted and separated, fit the
   * server's 1 000 000-byte body limit, so a full claim is never refused as too large.
   */
  static final int MAX_IDS = 40_000;

  private final VendorDirectory vendors;
  private final Books books;
  private final Licensing licensing;
  private final VendorClient client;
  private final BrokerMetrics metrics;
  private final InstantSource clock;

  /** {@code vendor:scripId} of the IDs being settled now; guarded by the books' decision lock. */
  private final Set<String> settling = new HashSet<>();

  Settlements(
      VendorDirectory vendors,
      Books books,
      Licensing licensing,
      VendorClient client,
      BrokerMetrics metrics,
      InstantSource clock) {
    this.vendors = vendors;
    this.books = books;
    this.licensing = licensing;
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** See {@link Broker#settle}. */
  SettlementResult settle(String vendor, List<Long> scripIds) {
    LicensedVendor lv = licensing.vendor(vendor);
    if (lv == null) {
      vendors.require(vendor);
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR,
          "vendor " + vendor + " is a warehouse vendor: its scrip is paid for when bought");
    }
    if (scripIds.size() > MAX_IDS) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "at most " + MAX_IDS + " scrip IDs per settlement, found " + scripIds.size());
    }
    List<Long> accepted = new ArrayList<>();
    List<SettlementResult.Rejection> rejected = new ArrayList<>();
    List<String> claimed = new ArrayList<>();
    long[] totals = new long[2];
    CompletableFuture<Void> done =
        books.decide(
            () -> {
              Set<Long> seen = new HashSet<>();
              Map<Long, long[]> state = issuedState(vendor, scripIds);
              for (long id : scripIds) {
                String key = vendor + ":" + id;
                long[] st = state.get(id);
                if (!seen.add(id) || settling.contains(key)) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.ALREADY_SETTLED));
                } else if (st == null) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.NOT_ISSUED));
                } else if (st[1] != IssuedScrip.OUTSTANDING) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.ALREADY_SETTLED));
                } else {
                  int bps =
                      lv.licenceOfKey(ScripId.fromLong(id).keyId())
                          .map(Licence::discountBps)
                          .orElse(0);
                  long value = st[0];
                  // value <= 10^12, so value x 10^4 cannot overflow.
                  long paid = value * (10_000 - bps) / 10_000;
                  totals[0] += value;
                  totals[1] += paid;
                  accepted.add(id);
                }
              }
              if (accepted.isEmpty()) {
                return null;
              }
              for (long id : accepted) {
                String key = vendor + ":" + id;
                settling.add(key);
                claimed.add(key);
              }
              long now = clock.millis();
              long value = totals[0];
              long paid = totals[1];
              long settlementId = books.nextId("settlements");
              List<Long> ids = List.copyOf(accepted);
              Entry e =
                  new Entry("settlement")
                      .post(Issuance.outstanding(books, vendor), value)
                      .post(books.account("payable:" + vendor, AccountKind.VENDOR_PAYABLE), -paid)
                      .post(books.account("commission", AccountKind.COMMISSION), paid - value)
                      .write(
                          (h, entryId) -> {
                            List<ScripId> sids = ids.stream().map(ScripId::fromLong).toList();
                            for (int n :
                                IssuedScripStore.closeOutstanding(
                                    h, vendor, sids, IssuedScrip.SETTLED, now, entryId)) {
                              if (n != 1) {
                                throw new IllegalStateException(
                                    "settled scrip of " + vendor + " is not outstanding");
                              }
                            }
                            SettlementStore.insert(
                                h, settlementId, vendor, now, ids.size(), value, paid, entryId);
                          });
              return books.submit(e);
            });
    try {
      if (done != null) {
        books.await(done);
      }
    } finally {
      if (!claimed.isEmpty()) {
        books.decide(() -> claimed.forEach(settling::remove));
      }
    }
    metrics
        .count("millicent_broker_settled_scrip_total", "vendor", vendor)
        .increment(accepted.size());
    metrics
        .count("millicent_broker_settlement_rejections_total", "vendor", vendor)
        .increment(rejected.size());
    return new SettlementResult(vendor, totals[1], accepted, rejected);
  }

  /**
   * The value and state of each of {@code ids} the broker issued as licensed scrip of {@code
   * vendor}.
   */
  private Map<Long, long[]> issuedState(String vendor, List<Long> ids) {
    return new IssuedScripStore(books.database()).licensedState(vendor, ids);
  }

  /** See {@link Broker#pullSettlement}. */
  SettlementResult pull(String vendor) {
    VendorConfig vc = vendors.require(vendor);
    if (vc.supply() != Supply.LICENSED) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR, "vendor " + vendor + " is not a licensed vendor");
    }
    String token =
        vc.token()
            .orElseThrow(
                () ->
                    new BrokerException(
                        BrokerError.BAD_REQUEST,
                        "vendor " + vendor + " has no token configured to read its report"));
    VendorClient.Received r = client.received(vc.url(), token);
    SettlementResult result =
        settle(vendor, r.ids().stream().map(VendorClient.ReceivedId::scripId).toList());
    client.markSettled(vc.url(), token, r.upto());
    log.info(
        "broker: settled with {}: {} accepted, {} rejected, paid {}",
        vendor,
        result.accepted().size(),
        result.rejected().size(),
        Amounts.format(result.paidMillicents()));
    return result;
  }
}
