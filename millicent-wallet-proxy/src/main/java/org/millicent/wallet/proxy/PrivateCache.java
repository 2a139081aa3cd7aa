package org.millicent.wallet.proxy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millicent.wallet.http.Response;

/**
 * The payer's private copies of pages it bought (docs/HTTP-API.md, "Reloading a bought page"): a
 * paid {@code 200} to a {@code GET} whose {@code Cache-Control} says {@code private} and {@code
 * max-age=N} (and neither {@code no-store} nor {@code no-cache}) is served again from here for N
 * seconds (at most {@link #MAX_AGE}), so a reload does not pay twice. Held in memory only, 256
 * pages of at most 1 MiB each. Thread-safe.
 */
final class PrivateCache {
  static final Duration MAX_AGE = Duration.ofMinutes(10);
  private static final int MAX_ENTRIES = 256;
  private static final int MAX_BODY = 1 << 20;
  private static final Pattern MAX_AGE_DIRECTIVE =
      Pattern.compile("(?:^|,)\\s*max-age\\s*=\\s*\"?(\\d{1,9})\"?\\s*(?:,|$)");

  private record Copy(Response response, Instant expiresAt) {}

  private final InstantSource clock;
  private final Map<String, Copy> entries =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  PrivateCache(InstantSource clock) {
    this.clock = clock;
  }

  /** The copy of {@code url} still fresh, if any. */
  synchronized Optional<Response> get(String url) {
    Copy e = entries.get(url);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expiresAt())) {
      entries.remove(url);
      return Optional.empty();
    }
    return Optional.of(e.response());
  }

  /** Keeps {@code paid}, the answer to a paid {@code GET url}, if its vendor allows it. */
  synchronized void offer(String url, Response paid) {
    if (paid.status() != 200 || paid.body().length > MAX_BODY) {
      return;
    }
    maxAge(String.join(",", paid.headerValues("Cache-Control")))
        .ifPresent(age -> entries.put(url, new Copy(paid, clock.instant().plus(age))));
  }

  /** How long a response with this {@code Cache-Control} may be kept for its payer. */
  static Optional<Duration> maxAge(String cacheControl) {
    String cc = cacheControl.toLowerCase(Locale.ROOT);
    if (!hasDirective(cc, "private")
        || hasDirective(cc, "no-store")
        || hasDirective(cc, "no-cache")) {
      return Optional.empty();
    }
    Matcher m = MAX_AGE_DIRECTIVE.matcher(cc);
    if (!m.find()) {
      return Optional.empty();
    }
    long seconds = Long.parseLong(m.group(1));
    if (seconds <= 0) {
      return Optional.empty();
    }
    Duration d = Duration.ofSeconds(seconds);
    return Optional.of(d.compareTo(MAX_AGE) > 0 ? MAX_AGE : d);
  }

  private static boolean hasDirective(String cc, String name) {
    for (String part : cc.split(",", -1)) {
      String p = part.trim();
      if (p.equals(name) || p.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }
}
