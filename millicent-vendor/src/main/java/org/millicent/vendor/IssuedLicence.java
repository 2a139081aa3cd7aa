package org.millicent.vendor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.bytes.Base64Url;
import org.millicent.keys.SecretBytes;
import org.millicent.vendor.store.GatewayStore;

/**
 * A licence just issued (or handed again to the broker that joined for it), with the secrets the
 * broker needs to mint under it: shown once, to that broker only (docs/HTTP-API.md, "Admin
 * endpoints"). Its {@code toString} names the licence only, never a secret. Immutable.
 */
record IssuedLicence(
    GatewayStore.Licence licence,
    List<SecretBytes> masterSecrets,
    SecretBytes customerMasterSecret) {

  /**
   * The licence as {@code POST /millicent/admin/licences} returns it (docs/HTTP-API.md), secrets
   * included: for the broker only.
   */
  Map<String, Object> toJson(String vendor, Duration scripLifetime) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("licence_id", licence.licenceId());
    out.put("vendor", vendor);
    out.put("broker", licence.broker());
    List<Map<String, Object>> keys = new ArrayList<>();
    for (int i = 0; i < licence.keyIds().size(); i++) {
      keys.add(
          Map.of(
              "key_id",
              licence.keyIds().get(i),
              "master_secret",
              Base64Url.encode(masterSecrets.get(i).toByteArray())));
    }
    out.put("key_ids", keys);
    out.put("customer_selector", licence.customerSelector());
    out.put("customer_master_secret", Base64Url.encode(customerMasterSecret.toByteArray()));
    out.put("discount_bps", licence.discountBps());
    out.put("scrip_lifetime_seconds", scripLifetime.toSeconds());
    return out;
  }

  /** Names the licence only. */
  @Override
  public String toString() {
    return "IssuedLicence[" + licence.licenceId() + " to " + licence.broker() + "]";
  }
}
