package org.millicent.broker;

import java.net.URI;

/**
 * The broker most HTTP tests start: "bob", listening on a free port, selling the scrip of vendor
 * venetia under licence at a 5 % discount. Venetia's gateway is not running (its URL is a closed
 * port); venetia settles with {@link #SETTLES}.
 */
final class BobSellsVenetia {
  /** The {@code Authorization} value with which venetia settles with bob. */
  static final String SETTLES = "Bearer venetia-settles-with-this-token";

  private BobSellsVenetia() {}

  /** Bob on {@code 127.0.0.1}. */
  static BrokerConfig config() {
    return config("127.0.0.1");
  }

  /** Bob listening on {@code host}, a free port. */
  static BrokerConfig config(String host) {
    return BrokerConfig.defaults()
        .withBrokerId("bob")
        .withListen(host, 0)
        .withVendor(
            VendorConfig.licensed("venetia", URI.create("http://127.0.0.1:9"), "t", null, 500)
                .withSettlementToken(SETTLES.substring("Bearer ".length())));
  }
}
