package org.millicent.protocol;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The origins under which a server (vendor or broker) is addressed by its customers, and the choice
 * of the one a request addressed (docs/PROTOCOL.md, "Authority"). A payment's MAC is verified over
 * the origin chosen here, so a payment made to another server (one that only claims this vendor's
 * name) does not verify. Immutable and thread-safe.
 */
public final class PublicOrigins {
  private final List<Authority> origins;

  private PublicOrigins(List<Authority> origins) {
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("a server needs at least one public origin");
    }
    this.origins = List.copyOf(new LinkedHashSet<>(origins));
  }

  /** These origins, in order of preference. */
  public static PublicOrigins of(List<Authority> origins) {
    return new PublicOrigins(origins);
  }

  /**
   * The zero-configuration default of a server listening on {@code port} on loopback: {@code
   * scheme://127.0.0.1:port}, {@code scheme://localhost:port} and {@code scheme://[::1]:port}.
   */
  public static PublicOrigins loopback(String scheme, int port) {
    return new PublicOrigins(
        List.of(
            Authority.of(scheme, "127.0.0.1", port),
            Authority.of(scheme, "localhost", port),
            Authority.of(scheme, "[::1]", port)));
  }

  /**
   * The default of a server with no configured public URLs, listening on {@code listenHost} at
   * {@code port}: loopback at that port ({@link #loopback}), and the listening address itself when
   * it is a specific one (not {@code 0.0.0.0} or {@code ::}).
   */
  public static PublicOrigins defaults(String scheme, String listenHost, int port) {
    List<Authority> all = new ArrayList<>(loopback(scheme, port).all());
    if (listenHost != null && !"0.0.0.0".equals(listenHost) && !"::".equals(listenHost)) {
      try {
        all.add(Authority.of(scheme, listenHost, port));
      } catch (IllegalArgumentException e) {
        // a listening name that is no URL host: loopback only
      }
    }
    return new PublicOrigins(all);
  }

  /**
   * Checks a configured list of public URLs: each an absolute http or https URL with a host and no
   * user info; a path, query or fragment is not allowed (only the origin counts).
   *
   * @return one message per bad entry, each naming it as {@code key[i]}; empty when all are good
   */
  public static List<String> validate(String key, List<String> urls) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      String at = key + "[" + i + "]";
      String u = urls.get(i);
      try {
        URI url = new URI(u);
        Authority.of(url);
        if (url.getRawUserInfo() != null) {
          errors.add(at + ": a public URL has no user info, found " + u);
          continue;
        }
        String path = url.getRawPath();
        if ((path != null && !path.isEmpty() && !"/".equals(path))
            || url.getRawQuery() != null
            || url.getRawFragment() != null) {
          errors.add(at + ": expected an origin (scheme://host[:port]) with no path, found " + u);
        }
      } catch (java.net.URISyntaxException | IllegalArgumentException | NullPointerException e) {
        errors.add(at + ": expected an absolute http or https URL with a host, found " + u);
      }
    }
    return errors;
  }

  /**
   * Parses URLs already checked by {@link #validate}.
   *
   * @throws IllegalArgumentException when one is not a valid public URL
   */
  public static PublicOrigins parse(List<String> urls) {
    List<String> errors = validate("public_urls", urls);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    List<Authority> out = new ArrayList<>();
    for (String u : urls) {
      out.add(Authority.of(URI.create(u)));
    }
    return new PublicOrigins(out);
  }

  /** The origins, first the preferred one. */
  public List<Authority> all() {
    return origins;
  }

  /**
   * The public origin a request addressed: the one whose host and port the request's {@code Host}
   * header names (a Host without a port names the scheme's default port). When an http and an https
   * origin both match, the one of the scheme the request arrived in wins, else the first listed.
   *
   * @param requestScheme the scheme the request arrived in at this server ({@code http} or {@code
   *     https})
   * @param hostHeader the request's {@code Host} header (or HTTP/2 {@code :authority}), as sent
   * @return empty when the header is missing, malformed, or names no public origin
   */
  public Optional<Authority> resolve(String requestScheme, String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty() || hostHeader.length() > 300) {
      return Optional.empty();
    }
    String host;
    int port = -1;
    try {
      int close = hostHeader.lastIndexOf(']');
      int colon = hostHeader.lastIndexOf(':');
      if (colon > close && (close >= 0 || hostHeader.indexOf(':') == colon)) {
        String digits = hostHeader.substring(colon + 1);
        if (digits.isEmpty()
            || digits.length() > 5
            || !digits.chars().allMatch(Character::isDigit)) {
          return Optional.empty();
        }
        port = Integer.parseInt(digits);
        host = hostHeader.substring(0, colon);
      } else {
        host = hostHeader;
      }
      if (close < 0 && host.indexOf(':') >= 0) {
        return Optional.empty(); // an IPv6 address in Host must be in brackets
      }
      host = Authority.canonicalHost(host);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Authority fallback = null;
    for (Authority a : origins) {
      boolean matches =
          a.host().equals(host)
              && (port == -1 ? a.port() == Authority.defaultPort(a.scheme()) : a.port() == port);
      if (!matches) {
        continue;
      }
      if (a.scheme().equalsIgnoreCase(requestScheme)) {
        return Optional.of(a);
      }
      if (fallback == null) {
        fallback = a;
      }
    }
    return Optional.ofNullable(fallback);
  }

  @Override
  public String toString() {
    return origins.toString();
  }
}
