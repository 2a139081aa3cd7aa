package org.millicent.broker;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.Customer;
import org.millicent.broker.books.Books;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.supply.LicensedVendor;
import org.millicent.bytes.Base64Url;
import org.millicent.protocol.Payer;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * Makes sales safe to retry (docs/BROKER.md, "Selling scrip"): a sale charged to an account runs
 * once per (customer, request key), and a retry gets the scrip recorded in the books; a purchase
 * paid with broker scrip that is replayed gets the vendor scrip that purchase bought. Thread-safe.
 */
final class SaleReplays {
  private final String brokerId;
  private final Books books;
  private final Accounts accounts;
  private final Licensing licensing;
  private final SecureRandom random;
  private final RequestKeys requestKeys;
  private final Map<String, CompletableFuture<Object>> pendingRequests = new ConcurrentHashMap<>();

  SaleReplays(
      String brokerId,
      Books books,
      Accounts accounts,
      Licensing licensing,
      SecureRandom random,
      RequestKeys requestKeys) {
    this.brokerId = brokerId;
    this.books = books;
    this.accounts = accounts;
    this.licensing = licensing;
    this.random = random;
    this.requestKeys = requestKeys;
  }

  /**
   * Runs a charged sale once per (customer, request key): a retry whose sale is durable gets the
   * recorded scrip; a retry racing the first waits for it.
   */
  <T> T once(long customerId, byte[] requestKey, Class<T> type, Supplier<T> action) {
    if (requestKey == null) {
      return action.get();
    }
    String key = Long.toUnsignedString(customerId) + ":" + Base64Url.encode(requestKey);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> other = pendingRequests.putIfAbsent(key, mine);
    if (other != null) {
      try {
        return as(type, other.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
    }
    try {
      if (requestKeys.add(RequestKeys.fingerprint(customerId, requestKey))) {
        Optional<Object> recorded = recordedSale(customerId, requestKey);
        if (recorded.isPresent()) {
          T t = as(type, recorded.get());
          mine.complete(t);
          return t;
        }
      }
      T t = action.get();
      mine.complete(t);
      return t;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pendingRequests.remove(key);
    }
  }

  private static <T> T as(Class<T> type, Object o) {
    if (!type.isInstance(o)) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "this request was already served as a different kind of sale");
    }
    if (o instanceof VendorScripSale v) {
      return type.cast(
          new VendorScripSale(
              v.vendor(),
              v.scrip(),
              v.customerIdAtVendor(),
              v.sealedCustomerSecret(),
              v.supply(),
              true));
    }
    return type.cast(o);
  }

  private Optional<Object> recordedSale(long customerId, byte[] requestKey) {
    return new IssuedScripStore(books.database())
        .saleByRequest(customerId, requestKey)
        .map(
            r ->
                r.issuer().equals(brokerId)
                    ? (Object) ScripCodec.decode(r.token())
                    : saleFromRow(r.issuer(), r.token(), r.supply(), r.sealedSecret(), customerId));
  }

  /**
   * The vendor scrip that the replayed purchase {@code p} bought the first time.
   *
   * @throws BrokerException {@code storage-unavailable} when the books do not hold it
   */
  VendorScripSale recordedPurchase(Purchase p) {
    return new IssuedScripStore(books.database())
        .purchasePaidBy(p.scrip().id().toLong())
        .map(r -> saleFromRow(r.issuer(), r.token(), r.supply(), r.sealedSecret(), r.customerId()))
        .orElseThrow(
            () ->
                new BrokerException(
                    BrokerError.STORAGE_UNAVAILABLE,
                    "broker scrip "
                        + p.scrip().id()
                        + " is spent but its purchase is not in the books"));
  }

  private VendorScripSale saleFromRow(
      String vendor, byte[] token, String supply, byte[] sealed, long brokerCustomerId) {
    Scrip s = ScripCodec.decode(token);
    Supply sup = Supply.fromWireName(supply);
    byte[] seal = sealed;
    if (sup == Supply.LICENSED) {
      LicensedVendor lv = licensing.require(vendor);
      Customer c = accounts.customer(brokerCustomerId);
      seal =
          Payer.sealSecret(
              c.secret(), vendor, s.customerId(), lv.customerSecret(s.customerId()), random);
    }
    return new VendorScripSale(vendor, s, s.customerId(), seal, sup, true);
  }
}
