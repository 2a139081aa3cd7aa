package org.millicent.broker.store;

/**
 * A licensed vendor that joined the broker at run time, as stored: its name, URL, public URLs
 * (space-separated, possibly empty), admin token (may be null), discount and licence ID.
 */
public record JoinedVendor(
    String vendor, String url, String publicUrls, String token, int discountBps, String licenceId) {
  @Override
  public String toString() {
    return "JoinedVendor[" + vendor + " at " + url + ", licence " + licenceId + "]";
  }
}
