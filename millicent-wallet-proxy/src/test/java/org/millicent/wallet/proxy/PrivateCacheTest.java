package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;

class PrivateCacheTest {
  private static final String URL = "https://venetia.example/pages/1";
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));
  private final PrivateCache cache = new PrivateCache(clock);

  private static Response paid(int status, String cacheControl) {
    return Response.of(
        Request.get(URI.create(URL)),
        status,
        Map.of("Cache-Control", List.of(cacheControl)),
        "page".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "private, max-age=60 | PT1M",
        "max-age=30,private | PT30S",
        "PRIVATE, MAX-AGE=5 | PT5S",
        "private, max-age=86400 | PT10M",
      })
  void privateWithMaxAge_isKeptThatLong_atMostTenMinutes(String cc, String expected) {
    assertThat(PrivateCache.maxAge(cc)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "no-store",
        "private",
        "max-age=60",
        "public, max-age=60",
        "private, no-store, max-age=60",
        "private, no-cache, max-age=60",
        "private, max-age=0",
        "private, max-age=-5",
        "private, s-maxage=60",
      })
  void anythingElse_isNotKept(String cc) {
    assertThat(PrivateCache.maxAge(cc)).isEmpty();
  }

  @Test
  void aKeptCopy_isServedUntilItsAgeRunsOut() {
    cache.offer(URL, paid(200, "private, max-age=60"));

    assertThat(cache.get(URL)).isPresent();
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get(URL)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(URL)).isEmpty();
  }

  @Test
  void aPaidAnswerOtherThan200_isNotKept() {
    cache.offer(URL, paid(206, "private, max-age=60"));

    assertThat(cache.get(URL)).isEmpty();
  }
}
