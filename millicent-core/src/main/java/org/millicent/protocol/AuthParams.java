package org.millicent.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.MalformedException;

/**
 * Reads and writes the {@code Millicent} authentication scheme's parameters in the RFC 9110
 * auth-param grammar: {@code Millicent name=token, name="quoted string", ...} (docs/PROTOCOL.md,
 * "HTTP binding"). Used for {@code WWW-Authenticate}, {@code Authorization} and the change header.
 * Stateless and thread-safe.
 */
public final class AuthParams {
  /** The auth-scheme name. */
  public static final String SCHEME = "Millicent";

  /**
   * The longest header value read, in characters: a longer one is {@code malformed}
   * (docs/PROTOCOL.md, "HTTP binding").
   */
  public static final int MAX_LENGTH = 16 * 1024;

  private AuthParams() {}

  /**
   * Whether a header value is of the Millicent scheme: after optional leading whitespace, {@code
   * Millicent} in any case, then a space or the end. Says nothing of whether the rest parses.
   */
  public static boolean isMillicent(String headerValue) {
    if (headerValue == null) {
      return false;
    }
    int i = skipWs(headerValue, 0);
    int end = i + SCHEME.length();
    return headerValue.regionMatches(true, i, SCHEME, 0, SCHEME.length())
        && (headerValue.length() == end || headerValue.charAt(end) == ' ');
  }

  /**
   * Formats {@code Millicent a=b, c="d e"}, quoting values that are not tokens.
   *
   * @throws IllegalArgumentException when a name is not a token
   */
  public static String format(Map<String, String> params) {
    StringBuilder sb = new StringBuilder(SCHEME);
    boolean first = true;
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!isToken(e.getKey())) {
        throw new IllegalArgumentException("auth-param name is not a token: " + e.getKey());
      }
      sb.append(first ? " " : ", ").append(e.getKey()).append('=');
      first = false;
      String v = e.getValue();
      if (isToken(v)) {
        sb.append(v);
      } else {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (c == '"' || c == '\\') {
            sb.append('\\');
          }
          sb.append(c);
        }
        sb.append('"');
      }
    }
    return sb.toString();
  }

  /**
   * Parses a header value of the Millicent scheme; parameter names are case-insensitive and
   * returned in lower case.
   *
   * @throws MalformedException when the scheme is not Millicent, the syntax is wrong or a name
   *     repeats
   */
  public static Map<String, String> parse(String header) {
    if (header == null) {
      throw new MalformedException("expected a Millicent header, found none");
    }
    if (header.length() > MAX_LENGTH) {
      throw new MalformedException("Millicent header is longer than " + MAX_LENGTH + " characters");
    }
    String h = header.strip();
    int sp = indexOfWhitespace(h);
    String scheme = sp < 0 ? h : h.substring(0, sp);
    if (!scheme.equalsIgnoreCase(SCHEME)) {
      throw new MalformedException("expected auth-scheme Millicent, found \"" + scheme + '"');
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (sp < 0) {
      return out;
    }
    int i = sp;
    int n = h.length();
    while (true) {
      i = skipWs(h, i);
      if (i >= n) {
        break;
      }
      int nameStart = i;
      while (i < n && isTchar(h.charAt(i))) {
        i++;
      }
      if (i == nameStart) {
        throw new MalformedException("expected a parameter name at character " + i);
      }
      String name = h.substring(nameStart, i).toLowerCase(java.util.Locale.ROOT);
      i = skipWs(h, i);
      if (i >= n || h.charAt(i) != '=') {
        throw new MalformedException("expected '=' after parameter " + name);
      }
      i = skipWs(h, i + 1);
      String value;
      if (i < n && h.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = h.charAt(i++);
          if (c == '\\') {
            if (i >= n) {
              break;
            }
            sb.append(h.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            sb.append(c);
          }
        }
        if (!closed) {
          throw new MalformedException("unterminated quoted value of parameter " + name);
        }
        value = sb.toString();
      } else {
        int vs = i;
        while (i < n && isTchar(h.charAt(i))) {
          i++;
        }
        value = h.substring(vs, i);
      }
      if (out.putIfAbsent(name, value) != null) {
        throw new MalformedException("parameter " + name + " appears twice");
      }
      i = skipWs(h, i);
      if (i >= n) {
        break;
      }
      if (h.charAt(i) != ',') {
        throw new MalformedException("expected ',' between parameters at character " + i);
      }
      i++;
    }
    return out;
  }

  /** The value of a required parameter. */
  public static String require(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw new MalformedException("Millicent header lacks the parameter " + name);
    }
    return v;
  }

  /**
   * The bytes of a required base64url parameter (a MAC, a nonce, a sealed message): the one way
   * binary values are read from a Millicent header.
   *
   * @throws MalformedException when it is missing, empty, longer than {@code maxBytes} would encode
   *     to, or not strict base64url
   */
  public static byte[] requireBytes(Map<String, String> params, String name, int maxBytes) {
    String text = require(params, name);
    if (text.length() > (maxBytes * 4L + 2) / 3) {
      throw new MalformedException(
          name + " is " + text.length() + " characters, longer than " + maxBytes + " bytes");
    }
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedException(name + " is not base64url: " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of an optional base64url parameter, or an empty array when it is absent or empty.
   *
   * @throws MalformedException as {@link #requireBytes} when it is present
   */
  public static byte[] optionalBytes(Map<String, String> params, String name, int maxBytes) {
    String text = params.get(name);
    return text == null || text.isEmpty() ? new byte[0] : requireBytes(params, name, maxBytes);
  }

  /** The base64url text of binary values in headers (unpadded, as {@link Base64Url} writes). */
  public static String bytesText(byte[] value) {
    return Base64Url.encode(value);
  }

  /**
   * The protocol version of a header's parameters.
   *
   * @throws MalformedException when {@code v} is missing or not {@link PaymentHeader#VERSION}
   */
  static void requireVersion(Map<String, String> params) {
    String v = require(params, "v");
    if (!PaymentHeader.VERSION.equals(v)) {
      throw new MalformedException(
          "expected Millicent protocol version " + PaymentHeader.VERSION + ", found " + v);
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  private static int skipWs(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 tchar, by ASCII code: one array read per character on the payment path. */
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      TCHAR[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }

  private static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }
}
