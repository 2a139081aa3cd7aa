package org.millicent.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.http.config.YamlValues;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.SecretBytes;

/**
 * Reads one entry of the broker configuration's {@code vendors} list (docs/BROKER.md,
 * "Configuration") into a {@link VendorConfig}, reporting what it cannot read to the file's {@link
 * ConfigReader}; the entry as a whole is checked by {@link VendorConfig#problems}. Stateless.
 */
final class VendorConfigYaml {
  private VendorConfigYaml() {}

  /** The entry {@code n} at {@code at}; null when it is not a mapping (a problem reported). */
  static @Nullable VendorConfig read(@Nullable JsonNode n, String at, ConfigReader r) {
    if (n == null || !n.isObject()) {
      r.problems.add(
          at + ": expected a mapping with vendor, url and supply, found " + YamlValues.describe(n));
      return null;
    }
    r.allow(n, "vendors[]", at + ".");
    String vendor = r.optionalString(n, "vendor", at + ".vendor");
    URI url = r.url(n, "url", at + ".url");
    String supplyName = r.optionalString(n, "supply", at + ".supply");
    Supply supply = supplyName == null ? null : Supply.fromWireName(supplyName);
    if (supply == null && supplyName != null) {
      r.problems.add(
          at + ".supply: expected \"licensed\" or \"warehouse\", found \"" + supplyName + '"');
    }
    int discount = (int) r.longValue(n, "discount_bps", 0, 0, 9_999, at + ".discount_bps");
    Optional<String> token = Optional.ofNullable(r.optionalString(n, "token", at + ".token"));
    Optional<String> settlementToken =
        Optional.ofNullable(r.optionalString(n, "settlement_token", at + ".settlement_token"));
    Optional<String> adminToken = Optional.empty();
    int keyIds = 1;
    Optional<Path> licenceFile = Optional.empty();
    JsonNode lic = n.get("licence");
    if (lic != null && r.object(lic, at + ".licence")) {
      r.allow(lic, "vendors[].licence", at + ".licence.");
      adminToken =
          Optional.ofNullable(r.optionalString(lic, "admin_token", at + ".licence.admin_token"));
      keyIds = (int) r.longValue(lic, "key_ids", 1, 1, 16, at + ".licence.key_ids");
      if (lic.get("file") != null) {
        licenceFile = Optional.ofNullable(r.path(lic, "file", at + ".licence.file", true));
      }
    }
    Optional<SecretBytes> secret = Optional.empty();
    String secretText = r.optionalString(n, "customer_secret", at + ".customer_secret");
    if (secretText != null) {
      try {
        byte[] b = Base64Url.decode(secretText.strip());
        if (b.length != CustomerSecret.LENGTH) {
          r.problems.add(
              at
                  + ".customer_secret: expected 32 bytes of base64url, found "
                  + b.length
                  + " bytes");
        } else {
          secret = Optional.of(SecretBytes.copyOf(b));
        }
      } catch (IllegalArgumentException e) {
        r.problems.add(at + ".customer_secret: expected base64url, found other characters");
      }
    }
    List<URI> publicUrls = new ArrayList<>();
    JsonNode urls = n.get("public_urls");
    if (urls != null) {
      if (!urls.isArray()) {
        r.problems.add(
            at + ".public_urls: expected a list of URLs, found " + YamlValues.describe(urls));
      } else {
        for (int i = 0; i < urls.size(); i++) {
          URI u = r.url(urls, i, at + ".public_urls[" + i + "]");
          if (u != null) {
            publicUrls.add(u);
          }
        }
      }
    }
    if (supply == Supply.WAREHOUSE && lic != null) {
      r.problems.add(at + ".licence: applies only to supply licensed; this vendor is warehouse");
    }
    if (supply == Supply.LICENSED) {
      for (String key : List.of("lot", "customer_secret")) {
        if (n.get(key) != null) {
          r.problems.add(
              at + "." + key + ": applies only to supply warehouse; this vendor is licensed");
        }
      }
    }
    int lotCount = supply == Supply.WAREHOUSE ? 100 : 0;
    long lotValue = supply == Supply.WAREHOUSE ? 1_000 : 0;
    JsonNode lot = n.get("lot");
    if (lot != null && r.object(lot, at + ".lot")) {
      r.allow(lot, "vendors[].lot", at + ".lot.");
      lotCount = (int) r.longValue(lot, "count", lotCount, 1, 10_000, at + ".lot.count");
      lotValue =
          r.longValue(
              lot,
              "value_millicents",
              lotValue,
              1,
              BrokerConfig.MAX_AMOUNT_MILLICENTS,
              at + ".lot.value_millicents");
    }
    return new VendorConfig(
        vendor,
        url,
        supply,
        discount,
        token,
        settlementToken,
        adminToken,
        keyIds,
        licenceFile,
        secret,
        lotCount,
        lotValue,
        publicUrls);
  }
}
