package org.millicent.vendor;

import java.time.Instant;
import java.util.Objects;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;
import org.millicent.vendor.config.VendorConfig;

/**
 * A vendor selling scrip to its own customers in-process, with no broker between: customer IDs from
 * the vendor's own space (selector {@value VendorConfig#OWN_CUSTOMER_SELECTOR}), their secrets, and
 * scrip minted under the vendor's primary key. For in-process wallets, the demo, the benchmark's
 * load generator and tests; it is not part of the HTTP API, and what it hands out is secret (never
 * log a {@link CustomerSecret}). Thread-safe; valid while its server or gateway is open.
 *
 * <pre>{@code
 * OwnCustomers own = OwnCustomers.of(vendor);
 * long alice = own.newCustomerId();
 * Scrip scrip = own.mint(5_000, alice, Instant.now().plus(Duration.ofHours(1)));
 * ... pay with Payer.signed(scrip, own.customerSecret(alice), nonce, request) ...
 * }</pre>
 */
public final class OwnCustomers {
  private final String vendor;
  private final VendorState state;

  private OwnCustomers(String vendor, VendorState state) {
    this.vendor = vendor;
    this.state = state;
  }

  /** The own customers of a running vendor server. */
  public static OwnCustomers of(VendorServer server) {
    return new OwnCustomers(server.vendor(), Objects.requireNonNull(server.state(), "state"));
  }

  /** The own customers of an open gateway. */
  public static OwnCustomers of(MillicentGateway gateway) {
    return new OwnCustomers(gateway.config().vendor(), gateway.awaitState());
  }

  /**
   * Allocates a fresh customer ID from the vendor's own space, durably, never handed out twice.
   *
   * @throws org.millicent.storage.StorageException when the database fails
   */
  public long newCustomerId() {
    return state.store.newOwnCustomerId();
  }

  /**
   * The customer secret of {@code customerId} at this vendor, as a broker would hand it to the
   * customer sealed. Never log it.
   *
   * @throws org.millicent.failure.UnknownKeyException when the ID's selector has no customer master
   *     secret
   */
  public CustomerSecret customerSecret(long customerId) {
    return state.customers.derive(vendor, customerId);
  }

  /** Mints scrip under the vendor's primary key, as the vendor does when it sells to a broker. */
  public Scrip mint(long valueMillicents, long customerId, Instant expiresAt) {
    return mint(valueMillicents, customerId, expiresAt, ScripProperties.NONE);
  }

  /** As {@link #mint(long, long, Instant)}, with properties (e.g. {@code country}). */
  public Scrip mint(
      long valueMillicents, long customerId, Instant expiresAt, ScripProperties properties) {
    return state.purchases.minter().mint(valueMillicents, customerId, expiresAt, properties);
  }

  /**
   * Mints bearer scrip (docs/PROTOCOL.md, "Scrip"): spendable by whoever holds it, also in the
   * clear variant where the vendor accepts it.
   */
  public Scrip mintBearer(long valueMillicents, long customerId, Instant expiresAt) {
    return state
        .purchases
        .minter()
        .mint(valueMillicents, customerId, expiresAt, ScripProperties.NONE, SpendMode.BEARER);
  }

  @Override
  public String toString() {
    return "OwnCustomers[" + vendor + "]";
  }
}
