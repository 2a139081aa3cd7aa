package org.millicent.cli.scrip;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.millicent.keys.CustomerSecrets;
import org.millicent.money.Amounts;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * Every field of one piece of scrip in readable form, as {@code millicent scrip inspect} prints it:
 * as aligned text for people or as a JSON-ready map. The time of inspection is passed in, so the
 * "expired" / "valid for" verdict is a pure function of its inputs. Immutable.
 */
final class ScripReport {
  private final Scrip scrip;
  private final int encodedLength;
  private final Instant now;

  ScripReport(Scrip scrip, int encodedLength, Instant now) {
    this.scrip = scrip;
    this.encodedLength = encodedLength;
    this.now = now;
  }

  /** The report as {@code label: value} lines, one per field. */
  String text() {
    ScripId id = scrip.id();
    long customer = scrip.customerId();
    Instant expires = scrip.expiresAt();
    StringBuilder sb = new StringBuilder();
    line(sb, "vendor", scrip.vendor());
    line(sb, "value", Amounts.format(scrip.valueMillicents()));
    line(
        sb,
        "scrip id",
        "key id " + id.keyId() + ", serial " + id.serial() + " (0x" + hex64(id.toLong()) + ")");
    line(
        sb,
        "customer id",
        Long.toUnsignedString(customer)
            + " (0x"
            + hex64(customer)
            + "), selector "
            + CustomerSecrets.selectorOf(customer));
    line(
        sb,
        "expires",
        expires + " (epoch " + expires.getEpochSecond() + " s), " + relativeExpiry(expires));
    line(sb, "spend", spendText());
    line(sb, "properties", properties());
    line(sb, "certificate", scrip.certificate() + " (not verified: needs the master secret)");
    line(sb, "encoded", encodedLength + " bytes");
    return sb.toString();
  }

  /** The report as nested maps with snake_case keys, ready for a JSON writer. */
  Map<String, Object> fields() {
    ScripId id = scrip.id();
    long customer = scrip.customerId();
    Instant expires = scrip.expiresAt();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("vendor", scrip.vendor());
    out.put("value_millicents", scrip.valueMillicents());
    out.put("value_human", Amounts.human(scrip.valueMillicents()));
    Map<String, Object> scripId = new LinkedHashMap<>();
    scripId.put("key_id", id.keyId());
    scripId.put("serial", id.serial());
    scripId.put("hex", hex64(id.toLong()));
    out.put("scrip_id", scripId);
    // Unsigned 64-bit values travel as strings: JSON readers often hold numbers as doubles.
    Map<String, Object> customerId = new LinkedHashMap<>();
    customerId.put("decimal", Long.toUnsignedString(customer));
    customerId.put("hex", hex64(customer));
    customerId.put("selector", CustomerSecrets.selectorOf(customer));
    out.put("customer_id", customerId);
    Map<String, Object> expiry = new LinkedHashMap<>();
    expiry.put("iso", expires.toString());
    expiry.put("epoch_seconds", expires.getEpochSecond());
    expiry.put("expired", isExpired(expires));
    expiry.put("seconds_left", Math.max(0, Duration.between(now, expires).toSeconds()));
    out.put("expires_at", expiry);
    out.put("spend", scrip.spend().wireName());
    out.put("properties", new LinkedHashMap<>(scrip.properties().entries()));
    out.put("certificate", scrip.certificate().toString());
    out.put("certificate_verified", false);
    out.put("encoded_length", encodedLength);
    return out;
  }

  private String spendText() {
    return switch (scrip.spend()) {
      case BOUND -> "bound (spent only with the customer secret: signed or private)";
      case BEARER -> "bearer (whoever holds it may spend it, also in the clear)";
    };
  }

  private boolean isExpired(Instant expires) {
    // The vendor refuses scrip from its expiry instant on (PurchaseService: now >= expiry).
    return !now.isBefore(expires);
  }

  private String relativeExpiry(Instant expires) {
    if (isExpired(expires)) {
      return "expired " + span(Duration.between(expires, now)) + " ago";
    }
    return "valid for " + span(Duration.between(now, expires));
  }

  /** A duration as its two largest units, e.g. {@code 3d 4h} or {@code 12m 5s}. */
  static String span(Duration d) {
    long s = d.toSeconds();
    long[] sizes = {365L * 86_400, 86_400, 3_600, 60, 1};
    String[] units = {"y", "d", "h", "m", "s"};
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < sizes.length && shown < 2; i++) {
      long n = s / sizes[i];
      if (n > 0 || (shown == 0 && i == sizes.length - 1)) {
        sb.append(shown == 0 ? "" : " ").append(n).append(units[i]);
        s -= n * sizes[i];
        shown++;
      } else if (shown > 0) {
        shown++;
      }
    }
    return sb.toString();
  }

  private String properties() {
    if (scrip.properties().isEmpty()) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder();
    scrip
        .properties()
        .entries()
        .forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
    return sb.toString();
  }

  private static String hex64(long v) {
    return String.format(Locale.ROOT, "%016x", v);
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(String.format(Locale.ROOT, "%-12s %s%n", label + ":", value));
  }
}
