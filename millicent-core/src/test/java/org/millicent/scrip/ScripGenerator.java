package org.millicent.scrip;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.millicent.testing.SeededRandom;

/**
 * Valid scrip for property tests, covering every field's full range with its bounds favoured, and
 * the two extremes (every field at its least, every field at its most). Stateless.
 */
final class ScripGenerator {
  private static final String VENDOR_CHARS = SeededRandom.alphanumeric(".:_-");
  private static final String KEY_CHARS = SeededRandom.alphanumeric("_.-");

  private ScripGenerator() {}

  static String vendor(SeededRandom r) {
    return r.string(VENDOR_CHARS, 1, ScripBody.MAX_VENDOR_LENGTH);
  }

  static ScripProperties properties(SeededRandom r) {
    int entries = r.length(0, ScripProperties.MAX_ENTRIES);
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < entries; i++) {
      map.put(r.string(KEY_CHARS, 1, ScripProperties.MAX_KEY_LENGTH), propertyValue(r));
    }
    return new ScripProperties(map);
  }

  /**
   * Well-formed text of at most {@link ScripProperties#MAX_VALUE_BYTES} UTF-8 bytes, mixing
   * characters of one to four UTF-8 bytes.
   */
  static String propertyValue(SeededRandom r) {
    int budget = r.length(0, ScripProperties.MAX_VALUE_BYTES);
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    while (true) {
      int cp =
          switch (r.intBetween(0, 3)) {
            case 0 -> r.intBetween(0, 0x7f);
            case 1 -> r.intBetween(0x80, 0x7ff);
            case 2 -> {
              int c = r.intBetween(0x800, 0xffff);
              yield Character.isSurrogate((char) c) ? 0xfffd : c;
            }
            default -> r.intBetween(0x10000, Character.MAX_CODE_POINT);
          };
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > budget) {
        // Fill up with one-byte characters so that the longest values are reached.
        return sb.append("x".repeat(budget - bytes)).toString();
      }
      sb.appendCodePoint(cp);
      bytes += size;
    }
  }

  static ScripBody body(SeededRandom r) {
    return new ScripBody(
        vendor(r),
        r.longBetween(1, ScripBody.MAX_VALUE_MILLICENTS),
        new ScripId(r.intBetween(0, 255), r.longBetween(0, ScripId.MAX_SERIAL)),
        r.anyLong(),
        Instant.ofEpochSecond(r.longBetween(0, ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS)),
        properties(r),
        r.intBetween(0, 1) == 0 ? SpendMode.BOUND : SpendMode.BEARER);
  }

  static Scrip scrip(SeededRandom r) {
    return new Scrip(body(r), Certificate.of(r.bytes(Certificate.LENGTH, Certificate.LENGTH)));
  }

  /** Every field at its least, and every field at its most (the longest encoding). */
  static List<Scrip> extremes() {
    Scrip least =
        new Scrip(
            new ScripBody("a", 1, new ScripId(0, 0), 0, Instant.EPOCH, ScripProperties.NONE),
            Certificate.of(new byte[Certificate.LENGTH]));
    TreeMap<String, String> most = new TreeMap<>();
    for (int i = 0; i < ScripProperties.MAX_ENTRIES; i++) {
      String key = "k" + Integer.toString(i, 36).repeat(ScripProperties.MAX_KEY_LENGTH - 1);
      // Four-byte characters: the longest value in bytes with the fewest UTF-16 units.
      most.put(key, "\uD83D\uDCB0".repeat(ScripProperties.MAX_VALUE_BYTES / 4));
    }
    byte[] ones = new byte[Certificate.LENGTH];
    Arrays.fill(ones, (byte) 0xff);
    Scrip largest =
        new Scrip(
            new ScripBody(
                "z".repeat(ScripBody.MAX_VENDOR_LENGTH),
                ScripBody.MAX_VALUE_MILLICENTS,
                new ScripId(255, ScripId.MAX_SERIAL),
                -1, // unsigned 2^64 - 1
                Instant.ofEpochSecond(ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS),
                new ScripProperties(most),
                SpendMode.BEARER),
            Certificate.of(ones));
    return List.of(least, largest);
  }
}
