package org.millicent.broker.store;

import java.util.Map;
import org.millicent.keys.SecretBytes;

/**
 * One licence as the tables licences and licence_keys hold it, as issued to its broker; the
 * supply's {@code Licence} validates it. Secrets never print.
 */
public record LicenceRow(
    String licenceId,
    String vendor,
    String broker,
    Map<Integer, SecretBytes> keys,
    int customerSelector,
    SecretBytes customerMasterSecret,
    int discountBps,
    long scripLifetimeSeconds) {

  /** Names the licence, vendor and key ids only. */
  @Override
  public String toString() {
    return "LicenceRow[" + licenceId + " " + vendor + " keys=" + keys.keySet() + "]";
  }
}
