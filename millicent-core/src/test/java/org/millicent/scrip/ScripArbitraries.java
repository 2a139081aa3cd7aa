package org.millicent.scrip;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid scrip, covering every field's full range. */
final class ScripArbitraries {
  private ScripArbitraries() {}

  static Arbitrary<String> vendors() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .numeric()
        .withChars('.', ':', '_', '-')
        .ofMinLength(1)
        .ofMaxLength(ScripBody.MAX_VENDOR_LENGTH);
  }

  static Arbitrary<ScripProperties> properties() {
    Arbitrary<String> keys =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .numeric()
            .withChars('_', '.', '-')
            .ofMinLength(1)
            .ofMaxLength(ScripProperties.MAX_KEY_LENGTH);
    Arbitrary<String> values =
        Arbitraries.strings()
            .all()
            .ofMaxLength(ScripProperties.MAX_VALUE_BYTES)
            .filter(
                s -> s.getBytes(StandardCharsets.UTF_8).length <= ScripProperties.MAX_VALUE_BYTES)
            .filter(ScripArbitraries::wellFormed);
    return Arbitraries.maps(keys, values)
        .ofMaxSize(ScripProperties.MAX_ENTRIES)
        .map(m -> new ScripProperties(new TreeMap<>(m)));
  }

  /** Whether {@code s} is well-formed UTF-16, i.e. has a UTF-8 encoding. */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static Arbitrary<ScripBody> bodies() {
    return Combinators.combine(
            vendors(),
            Arbitraries.longs().between(1, ScripBody.MAX_VALUE_MILLICENTS),
            Arbitraries.integers().between(0, 255),
            Arbitraries.longs().between(0, ScripId.MAX_SERIAL),
            Arbitraries.longs(),
            Arbitraries.longs().between(0, ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS),
            properties())
        .as(
            (vendor, value, keyId, serial, customer, expires, props) ->
                new ScripBody(
                    vendor,
                    value,
                    new ScripId(keyId, serial),
                    customer,
                    Instant.ofEpochSecond(expires),
                    props));
  }

  static Arbitrary<Scrip> scrip() {
    return Combinators.combine(
            bodies(), Arbitraries.bytes().array(byte[].class).ofSize(Certificate.LENGTH))
        .as((body, cert) -> new Scrip(body, Certificate.of(cert)));
  }
}
