package org.millicent.protocol;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.millicent.internal.ByteWriter;

/**
 * The authority a customer addressed, in its canonical form (docs/PROTOCOL.md, "Authority"): the
 * scheme, the host and the port of the URL she paid. Every payment's MAC covers it, so a payment
 * made to one origin is worthless at another. Immutable.
 *
 * <p>Canonical form: scheme {@code http} or {@code https}; host lower-case ASCII, an IPv6 address
 * in brackets and in its RFC 5952 text form ({@code [::1]}), no zone; the port always explicit (80
 * and 443 when the URL leaves it out). Encoded as {@code str8(scheme) ‖ str8(host) ‖ u16(port)}.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the canonical host, 1 to 255 ASCII characters
 * @param port 1 to 65535
 */
public record Authority(String scheme, String host, int port) {
  /** Longest host accepted, in characters (DNS names are shorter). */
  public static final int MAX_HOST_LENGTH = 255;

  /** Requires the canonical form; use {@link #of(URI)} or {@link #of(String, String, int)}. */
  public Authority {
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("scheme must be http or https, was " + scheme);
    }
    if (host == null || !host.equals(canonicalHost(host))) {
      throw new IllegalArgumentException("host is not in canonical form: " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /**
   * The canonical authority of an absolute http or https URL.
   *
   * @throws IllegalArgumentException when the URL is not absolute http(s) with a host, or its host
   *     or port cannot be canonicalised
   */
  public static Authority of(@Nullable URI url) {
    if (url == null || url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("expected an absolute http(s) URL with a host: " + url);
    }
    return of(url.getScheme(), url.getHost(), url.getPort());
  }

  /**
   * The canonical authority of a scheme, a host as written (any case; an IPv6 address with or
   * without brackets) and a port ({@code -1} for the scheme's default).
   *
   * @throws IllegalArgumentException when a part cannot be canonicalised
   */
  public static Authority of(@Nullable String scheme, @Nullable String host, int port) {
    if (scheme == null) {
      throw new IllegalArgumentException("scheme must be http or https, was null");
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    int p = port == -1 ? defaultPort(s) : port;
    return new Authority(s, canonicalHost(host), p);
  }

  /** 80 for http, 443 for https. */
  public static int defaultPort(@Nullable String scheme) {
    return switch (scheme == null ? "" : scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> throw new IllegalArgumentException("scheme must be http or https, was " + scheme);
    };
  }

  /**
   * The canonical form of a host: lower case; an IPv6 literal in brackets and RFC 5952 form.
   *
   * @throws IllegalArgumentException when it is empty, too long, not ASCII, has characters a URL
   *     host cannot have, or is a malformed IPv6 literal or one with a zone
   */
  public static String canonicalHost(@Nullable String host) {
    if (host == null || host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException("host must be 1.." + MAX_HOST_LENGTH + " characters");
    }
    String h = host;
    if (h.startsWith("[") != h.endsWith("]")) {
      throw new IllegalArgumentException("unbalanced brackets in host " + host);
    }
    if (h.startsWith("[")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      return "[" + ipv6(h) + "]";
    }
    String lower = h.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_'
              || c == '~';
      if (!ok) {
        throw new IllegalArgumentException("host has a character a URL host cannot have: " + host);
      }
    }
    return lower;
  }

  /** RFC 5952: lower-case hex, no leading zeros, the longest run of 2+ zero groups as "::". */
  private static String ipv6(String literal) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("not an IPv6 address (or has a zone): " + literal);
      }
    }
    byte[] a;
    try {
      // A literal of hex digits, colons and dots is parsed, never looked up.
      a = InetAddress.getByName("[" + literal + "]").getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: " + literal, e);
    }
    if (a.length != 16) {
      // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as four bytes.
      throw new IllegalArgumentException("write an IPv4-mapped address as IPv4: " + literal);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** The exact bytes MACs cover: {@code str8(scheme) ‖ str8(host) ‖ u16(port)}. */
  public byte[] encode() {
    return new ByteWriter(encodedLength()).string8(scheme).string8(host).u16(port).toByteArray();
  }

  /** Bytes {@link #encode()} writes (scheme and host are ASCII). */
  int encodedLength() {
    return 4 + scheme.length() + host.length();
  }

  /** {@code scheme://host:port}. */
  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port;
  }
}
