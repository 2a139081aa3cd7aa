package org.millicent.http;

import java.time.Duration;

/**
 * How long a server waits for a slow client (docs/HTTP-API.md, "Slow clients"; configuration key
 * {@code http_timeouts} of the vendor and the broker).
 *
 * @param idle how long a connection may stay silent (no byte in either direction) before it is
 *     closed: Jetty's connector idle timeout, which also bounds a stalled body
 * @param header how long a request's line and headers may take to arrive once their first byte has:
 *     a client that sends them a byte at a time to hold the connection (slowloris) is closed when
 *     this runs out, however often it sends
 */
public record HttpTimeouts(Duration idle, Duration header) {
  /** 30 s idle (Jetty's default), 10 s for a request head. */
  public static final HttpTimeouts DEFAULT =
      new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10));

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when a timeout is missing, not positive, or over a day
   */
  public HttpTimeouts {
    check(idle, "idle");
    check(header, "header");
  }

  private static void check(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "http_timeouts." + name + ": expected more than 0 and at most a day, found " + d);
    }
  }
}
