package org.millicent.broker;

import org.millicent.purchase.Purchase;

/**
 * Vendor scrip bought with broker scrip: the sale and the purchase that paid (for the receipt).
 *
 * @param sale the vendor scrip sold
 * @param purchase the purchase at the broker that paid for it
 */
public record ScripPurchase(VendorScripSale sale, Purchase purchase) {}
