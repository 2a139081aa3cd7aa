package org.millicent.wallet.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.millicent.protocol.Headers;

/**
 * The header fields the paying path does not forward (RFC 9110, 7.6.1): core's list ({@link
 * Headers#isNotForwarded}), and every field a {@code Connection} header names. Stateless.
 */
final class HopByHop {
  private final Set<String> named;

  private HopByHop(Set<String> named) {
    this.named = named;
  }

  /** The rule for a message with these fields. */
  static HopByHop of(HttpFields fields) {
    Set<String> names = new HashSet<>();
    for (HttpField f : fields) {
      if (f.getHeader() == HttpHeader.CONNECTION) {
        for (String v : f.getValues()) {
          names.add(v.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return new HopByHop(names);
  }

  /** The rule for a message whose {@code Connection} values are given. */
  static HopByHop of(Iterable<String> connectionValues) {
    Set<String> names = new HashSet<>();
    for (String v : connectionValues) {
      for (String t : v.split(",", -1)) {
        names.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    return new HopByHop(names);
  }

  /** Whether the field {@code name} is left out. */
  boolean skips(String name) {
    return Headers.isNotForwarded(name) || named.contains(name.toLowerCase(Locale.ROOT));
  }
}
