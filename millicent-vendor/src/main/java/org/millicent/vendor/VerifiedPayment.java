package org.millicent.vendor;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.bytes.Base64Url;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.ScripId;

/**
 * What a verified payment tells the application it paid for: handed to the origin behind the
 * gateway as {@code Millicent-Paid-*} headers and to a servlet or Spring application as a request
 * attribute. Carries no secret and no scrip: nothing in it can be spent. Immutable.
 *
 * @param priceMillicents what this request was charged, in millicents
 * @param customerId the customer ID the scrip was issued under (the broker's account, not a person)
 * @param properties the scrip's properties (e.g. a subscription's tier), sorted by name
 * @param scripId the spent scrip's ID, as {@link ScripId#toString()} prints it
 * @param variant the protocol variant the payment came in
 * @param paymentId the paying request's fingerprint, base64url: the same for a replay of the same
 *     request, different for any other request, so an application can use it as an idempotency key
 * @param replay whether this is an identical retry of a request already charged (charged once)
 */
public record VerifiedPayment(
    long priceMillicents,
    long customerId,
    Map<String, String> properties,
    String scripId,
    Variant variant,
    String paymentId,
    boolean replay) {

  /** Copies {@code properties}, sorted by name. */
  public VerifiedPayment {
    properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
  }

  /** The facts of an accepted purchase. */
  public static VerifiedPayment of(Purchase p) {
    return new VerifiedPayment(
        p.priceMillicents(),
        p.scrip().customerId(),
        p.scrip().properties().entries(),
        p.scrip().id().toString(),
        p.variant(),
        Base64Url.encode(p.fingerprint()),
        p.isReplay());
  }
}
