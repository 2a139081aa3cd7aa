package org.millicent.broker;

import org.jspecify.annotations.Nullable;
import org.millicent.scrip.Scrip;

/**
 * Vendor scrip sold to a customer: the scrip, the customer's ID at the vendor and the vendor
 * customer secret sealed under the customer's broker secret ({@code Payer.sealSecret(brokerSecret,
 * vendor, customerIdAtVendor, vendorSecret)}).
 *
 * @param vendor the vendor
 * @param scrip the vendor scrip, bound to {@code customerIdAtVendor}
 * @param customerIdAtVendor the customer's ID at the vendor
 * @param sealedCustomerSecret the sealed vendor customer secret
 * @param supply how the broker obtained it; null for the broker's own scrip
 * @param replay whether this answers a retry of a request already served
 */
public record VendorScripSale(
    String vendor,
    Scrip scrip,
    long customerIdAtVendor,
    byte[] sealedCustomerSecret,
    @Nullable Supply supply,
    boolean replay) {}
