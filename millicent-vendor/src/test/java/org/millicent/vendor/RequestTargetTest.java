package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical target sent to an origin: the decoded path percent-encoded again decodes to exactly
 * that path, in RFC 3986 path characters only, with no {@code ;} (which an origin would read as a
 * parameter).
 */
class RequestTargetTest {
  private static final String ALPHABET =
      "aZ09-._~!$&'()*+,;=:@ %?#[]|{}^\"<>`\\/\u00e9\u20ac\ud83d\ude00";

  static LongStream seeds() {
    long base = new Random().nextLong();
    return LongStream.range(0, 200).map(i -> base + i);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void encodedPath_decodesToThePath_inPathCharactersOnly(long seed) {
    Random random = new Random(seed);
    StringBuilder path = new StringBuilder();
    int segments = 1 + random.nextInt(5);
    for (int s = 0; s < segments; s++) {
      path.append('/');
      int n = 1 + random.nextInt(8);
      for (int i = 0; i < n; i++) {
        int cp = ALPHABET.codePointAt(random.nextInt(ALPHABET.length() - 1));
        if (Character.isLowSurrogate((char) cp) || cp == '/') {
          cp = 'x';
        }
        path.appendCodePoint(cp);
      }
    }
    String encoded = RequestTarget.encodePath(path.toString());
    assertThat(encoded)
        .as("seed %d", seed)
        .matches("(/|[A-Za-z0-9\\-._~!$&'()*+,=:@]|%[0-9A-F]{2})*");
    assertThat(URI.create("http://h" + encoded).getPath())
        .as("seed %d: %s", seed, encoded)
        .isEqualTo(path.toString());
  }

  @Test
  void encodePath_keepsPlainPathsAsTheyAre_andEscapesTheRest() {
    assertThat(RequestTarget.encodePath("/pages/a.html")).isEqualTo("/pages/a.html");
    assertThat(RequestTarget.encodePath("/pages/caf\u00e9 au lait.html"))
        .isEqualTo("/pages/caf%C3%A9%20au%20lait.html");
    assertThat(RequestTarget.encodePath("/a;b/%|")).isEqualTo("/a%3Bb/%25%7C");
  }
}
