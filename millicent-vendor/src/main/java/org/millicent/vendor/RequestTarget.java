package org.millicent.vendor;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one canonical form of a request target that the gateway prices, serves and forwards
 * (docs/HTTP-API.md, "Request targets"). Pricing the raw target while serving a decoded one gave
 * priced files away ({@code /public/../pages/premium.html}); so the path is decoded once, its dot
 * segments resolved, and the catalogue, a static folder and an origin all see that one path.
 *
 * <p>Jetty does the decoding under {@link org.eclipse.jetty.http.UriCompliance#RFC3986} (set in
 * {@link VendorServer}): it refuses, before any handler runs, every target whose decoding is
 * ambiguous (encoded {@code /}, {@code \} or dot segments, empty segments, {@code ..;}, bad
 * percent-escapes or UTF-8, characters RFC 3986 does not allow in a path) and resolves plain dot
 * segments. This class refuses what RFC 3986 allows but a careless origin could read another way:
 * {@code ;} path parameters (Jetty drops them from the decoded path, a servlet origin strips them),
 * {@code %25} (a second decoding would reveal a new escape), and control characters; and, in the
 * query, characters RFC 3986 does not allow or malformed escapes, which the gateway could not
 * forward unchanged. It checks again what Jetty already guarantees, so that a looser Jetty mode
 * cannot silently reopen the hole.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the canonical path, decoded: what the catalogue prices and a static folder serves
 * @param forward the canonical target, re-encoded: path (percent-encoded where RFC 3986 requires)
 *     and the query exactly as sent; what an origin is sent
 */
record RequestTarget(String path, String forward) {

  /**
   * The canonical target of {@code request}.
   *
   * @throws ProblemException {@code bad-path} or {@code bad-query} (400) when the target is not in
   *     a form the gateway prices and serves unambiguously
   */
  static RequestTarget of(HttpServletRequest request) {
    String raw = request.getRequestURI();
    checkRawPath(raw);
    String decoded = nullToEmpty(request.getServletPath()) + nullToEmpty(request.getPathInfo());
    checkDecodedPath(raw, decoded);
    String query = request.getQueryString();
    if (query != null) {
      checkQuery(query);
    }
    String encoded = encodePath(decoded);
    return new RequestTarget(decoded, query == null ? encoded : encoded + "?" + query);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void checkRawPath(String raw) {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      throw badPath("the path must start with /");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ';') {
        throw badPath("path parameters (;) are not served");
      }
      if (c == '%') {
        if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
          throw badPath("a % must start an escape of two hex digits");
        }
        if (raw.charAt(i + 1) == '2' && raw.charAt(i + 2) == '5') {
          throw badPath("an encoded % (%25) could be decoded twice; it is not served");
        }
        i += 2;
      } else if (!isPathChar(c)) {
        throw badPath("character " + describe(c) + " must be percent-encoded or is not allowed");
      }
    }
  }

  private static void checkDecodedPath(String raw, String decoded) {
    if (decoded.isEmpty()) {
      decoded = "/";
    }
    if (decoded.charAt(0) != '/') {
      throw badPath("the decoded path does not start with /");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw badPath("the path decodes to " + describe(c));
      }
    }
    // Jetty's RFC 3986 mode guarantees these; a looser mode must not reopen the hole.
    String[] segments = decoded.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      if (s.equals(".") || s.equals("..") || (s.isEmpty() && i < segments.length - 1)) {
        throw badPath("the path " + raw + " is ambiguous");
      }
    }
  }

  private static void checkQuery(String query) {
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '%') {
        if (i + 2 >= query.length() || !isHex(query.charAt(i + 1)) || !isHex(query.charAt(i + 2))) {
          throw new ProblemException(
              ProblemCode.BAD_QUERY, "a % in the query must start an escape of two hex digits");
        }
        i += 2;
      } else if (!isPathChar(c) && c != '?') {
        throw new ProblemException(
            ProblemCode.BAD_QUERY,
            "character " + describe(c) + " must be percent-encoded in the query (RFC 3986)");
      }
    }
  }

  /** RFC 3986 {@code pchar} and {@code /}, without {@code %}: what a path may hold unencoded. */
  private static boolean isPathChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String describe(char c) {
    return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  /**
   * The decoded path percent-encoded again: every byte of its UTF-8 form that is not an unreserved
   * character, a sub-delimiter other than {@code ;}, {@code :}, {@code @} or {@code /} is escaped.
   */
  static String encodePath(String decoded) {
    StringBuilder out = new StringBuilder(decoded.length() + 16);
    for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && c != ';' && isPathChar(c)) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static ProblemException badPath(String detail) {
    return new ProblemException(ProblemCode.BAD_PATH, detail);
  }
}
