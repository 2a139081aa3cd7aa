package org.millicent.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-vector file's JSON reader is strict, and reads back what the writer writes. */
class JsonTest {
  @Test
  void write_thenParse_isTheSameValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("big", new BigInteger("18446744073709551615"));
    m.put("text", "q\"uo\\te\n\u00fc\u20ac\ud83d\ude00\u0001");
    m.put("list", List.of(BigInteger.ONE, "x", Map.of(), List.of()));
    m.put("flag", true);

    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }

  @Test
  void parse_notStrictJson_isRejected() {
    for (String bad :
        new String[] {
          "{\"a\":1,\"a\":2}",
          "{\"a\":1} x",
          "[1,]",
          "{\"a\":01}",
          "1.5",
          "1e3",
          "'a'",
          "[\"\t\"]",
          "{a:1}",
          "[1 2]",
          "\"\\x\"",
          "",
        }) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.JsonException.class);
    }
    assertThat(Json.parse(" {\"a\" : [ -1 , 0 , null , false ] } "))
        .isEqualTo(
            Map.of(
                "a",
                java.util.Arrays.asList(BigInteger.valueOf(-1), BigInteger.ZERO, null, false)));
  }
}
