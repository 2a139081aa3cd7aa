package org.millicent.wallet.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The header fields that belong to one connection and are never forwarded (RFC 9110, 7.6.1): the
 * fixed list, and every field a {@code Connection} header names. Stateless.
 */
final class HopByHop {
  private static final Set<String> FIXED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "proxy-authenticate",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings",
          // Not hop-by-hop, but set by whoever writes the message next.
          "content-length",
          "host");

  private HopByHop() {}

  /** The names (lower case) not to forward from a message with these fields. */
  static Set<String> of(HttpFields fields) {
    Set<String> names = new HashSet<>(FIXED);
    for (HttpField f : fields) {
      if (f.getHeader() == HttpHeader.CONNECTION) {
        for (String v : f.getValues()) {
          names.add(v.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /** The names (lower case) not to forward from a message whose {@code Connection} is given. */
  static Set<String> of(Iterable<String> connectionValues) {
    Set<String> names = new HashSet<>(FIXED);
    for (String v : connectionValues) {
      for (String t : v.split(",")) {
        names.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
