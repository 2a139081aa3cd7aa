package org.millicent.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.keys.CustomerSecret;

/**
 * A request a customer makes of her account at a broker (docs/HTTP-API.md, "Account requests"):
 * {@code Authorization: Millicent v=2, variant=account, customer=<decimal>, nonce=<b64>,
 * mac=<b64>}, where {@code mac} is the request MAC over an empty scrip field, the nonce and the
 * request (docs/PROTOCOL.md, "Request MAC") under the customer's broker secret. The MAC is also the
 * request's idempotency key: a retry of the same request carries the same MAC. Immutable and
 * thread-safe; holds no secret.
 */
public final class AccountRequest {
  /** The {@code variant} of account requests. */
  public static final String VARIANT = "account";

  private static final byte[] NO_SCRIP = new byte[0];

  private final long customerId;
  private final Nonce nonce;
  private final byte[] mac;

  private AccountRequest(long customerId, Nonce nonce, byte[] mac) {
    this.customerId = customerId;
    this.nonce = nonce;
    this.mac = mac;
  }

  /** The {@code Authorization} value of an account request for {@code request}. */
  public static String sign(
      long customerId, CustomerSecret brokerSecret, Nonce nonce, RequestDescriptor request) {
    byte[] mac = Macs.mac(brokerSecret, Macs.requestInput(NO_SCRIP, nonce, request));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("v", PaymentHeader.VERSION);
    p.put("variant", VARIANT);
    p.put("customer", Long.toUnsignedString(customerId));
    p.put("nonce", nonce.toString());
    p.put("mac", AuthParams.bytesText(mac));
    return AuthParams.format(p);
  }

  /** Whether an {@code Authorization} value is an account request (well-formed or not). */
  public static boolean isAccountRequest(String header) {
    if (header == null) {
      return false;
    }
    try {
      return VARIANT.equals(AuthParams.parse(header).get("variant"));
    } catch (MalformedException e) {
      return false;
    }
  }

  /**
   * Parses an {@code Authorization} value.
   *
   * @throws MalformedException when it is not a version-2 account request or a parameter is missing
   *     or does not decode
   */
  public static AccountRequest parse(String header) {
    Map<String, String> p = AuthParams.parse(header);
    if (!PaymentHeader.VERSION.equals(p.get("v")) || !VARIANT.equals(p.get("variant"))) {
      throw new MalformedException(
          "expected v="
              + PaymentHeader.VERSION
              + ", variant="
              + VARIANT
              + ", found v="
              + p.get("v")
              + ", variant="
              + p.get("variant"));
    }
    Nonce nonce = Nonce.parse(AuthParams.require(p, "nonce"));
    byte[] mac = AuthParams.requireBytes(p, "mac", AuthParams.MAX_LENGTH);
    long customer;
    try {
      customer = Long.parseUnsignedLong(AuthParams.require(p, "customer"));
    } catch (NumberFormatException e) {
      throw new MalformedException("customer is not an unsigned 64-bit decimal", e);
    }
    return new AccountRequest(customer, nonce, mac);
  }

  /** The customer ID named. */
  public long customerId() {
    return customerId;
  }

  /** The request MAC, which is also the request's idempotency key. */
  public byte[] mac() {
    return mac.clone();
  }

  /**
   * Checks the MAC in constant time.
   *
   * @param brokerSecret the named customer's broker secret
   * @param request the request as received: the origin it addressed, method, target, body digest
   * @throws ForgedException when the MAC is not this request's under {@code brokerSecret}
   */
  public void verify(CustomerSecret brokerSecret, RequestDescriptor request) {
    Macs.verify(brokerSecret, Macs.requestInput(NO_SCRIP, nonce, request), mac, "account request");
  }

  @Override
  public String toString() {
    return "AccountRequest[customer=" + Long.toUnsignedString(customerId) + "]";
  }
}
