package org.millicent.broker.supply;

import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.VendorConfig;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payer;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * Opens a vendor's answers to the warehouse's exchanges (docs/BROKER.md, "Warehouse"): checks the
 * scrip is what was asked for and opens the customer secret the vendor sealed under the broker's
 * own customer secret at the vendor (configured, or asked of the vendor once). Thread-safe.
 */
final class ExchangeAnswers {
  private final VendorConfig config;
  private final VendorClient client;
  private volatile @Nullable CustomerSecret brokerSecret;

  ExchangeAnswers(VendorConfig config, VendorClient client) {
    this.config = config;
    this.client = client;
    this.brokerSecret =
        config.customerSecret().map(s -> CustomerSecret.of(s.toByteArray())).orElse(null);
  }

  private String vendor() {
    return config.vendor();
  }

  /**
   * Opens the vendor's answer: checks the scrip is what was asked for and opens the customer secret
   * the vendor sealed under the broker's.
   *
   * @throws BrokerException {@code vendor-unavailable} when the vendor answered with scrip that is
   *     not what was asked for, or a secret that does not open
   */
  ExchangedScrip open(ExchangeAnswer ex, long amount) {
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
    return new ExchangedScrip(s, secret);
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
}
