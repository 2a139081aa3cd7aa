package org.millicent.broker;

import java.net.URI;
import java.nio.file.Path;
import org.millicent.vendor.VendorServer;

/**
 * Vendor walter, a real gateway on a free loopback port that sells broker bob lots of its scrip for
 * bob's warehouse: bob buys lots of 10 pieces of 100 millicents at a 3 % discount and sells them
 * piece by piece. Bob reaches walter with {@link #BOB_TOKEN}.
 */
final class Walter {
  /** What bob presents at walter. */
  static final String BOB_TOKEN = "bob-token-at-walter-0123456789";

  private Walter() {}

  /** Starts walter with its data in {@code dir}. */
  static VendorServer start(Path dir) {
    return VendorServer.start(
        org.millicent.vendor.config.VendorConfig.sampleBuilder()
            .vendor("walter")
            .port(0)
            .broker(
                new org.millicent.vendor.config.BrokerConfig(
                    "bob", URI.create("http://127.0.0.1:8081"), BOB_TOKEN, 7, 300))
            .build(),
        dir);
  }

  /** Walter in bob's configuration, reached at {@code url}. */
  static VendorConfig atBob(URI url) {
    return VendorConfig.warehouse("walter", url, BOB_TOKEN, null, 300, 10, 100);
  }
}
