package org.millicent.http.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> errors = new ArrayList<>();

  private static JsonNode node(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void describe_namesTheKind_andAScalarsValue() throws Exception {
    assertThat(YamlValues.describe(null)).isEqualTo("nothing");
    assertThat(YamlValues.describe(node("null"))).isEqualTo("nothing");
    assertThat(YamlValues.describe(node("{}"))).isEqualTo("a mapping");
    assertThat(YamlValues.describe(node("[1]"))).isEqualTo("a list");
    assertThat(YamlValues.describe(node("\"x\""))).isEqualTo("the text \"x\"");
    assertThat(YamlValues.describe(node("true"))).isEqualTo("the boolean true");
    assertThat(YamlValues.describe(node("12"))).isEqualTo("the number 12");
  }

  @Test
  void text_ofASecret_nevershowsItsValue() throws Exception {
    assertThat(YamlValues.text(node("12345"), "brokers[0].token", errors)).isNull();
    assertThat(YamlValues.optionalText(node("true"), "tls.password", errors)).isNull();
    assertThat(YamlValues.text(node("98765"), "paid_headers.secret", errors)).isNull();
    assertThat(errors)
        .containsExactly(
            "brokers[0].token: expected text, found a number (quote it to make it text)",
            "tls.password: expected text, found a boolean (quote it to make it text)",
            "paid_headers.secret: expected text, found a number (quote it to make it text)");
    assertThat(String.join("\n", errors)).doesNotContain("12345", "98765");
  }

  @Test
  void text_required_andOptional() throws Exception {
    assertThat(YamlValues.text(node("\"a\""), "host", errors)).isEqualTo("a");
    assertThat(YamlValues.optionalText(null, "host", errors)).isNull();
    assertThat(errors).isEmpty();
    assertThat(YamlValues.text(null, "host", errors)).isNull();
    assertThat(YamlValues.optionalText(node("null"), "host", errors)).isNull();
    assertThat(YamlValues.text(node("8080"), "host", errors)).isNull();
    assertThat(errors)
        .containsExactly(
            "host: expected text, found nothing",
            "host: expected text, found nothing (leave the key out for the default)",
            "host: expected text, found the number 8080 (quote it to make it text)");
  }

  @Test
  void wholeNumber_withAndWithoutARange() throws Exception {
    assertThat(YamlValues.wholeNumber(node("7"), "port", errors, 1)).isEqualTo(7);
    assertThat(YamlValues.wholeNumber(node("7"), "port", 1, 10, errors, 1)).isEqualTo(7);
    assertThat(errors).isEmpty();
    assertThat(YamlValues.wholeNumber(node("\"7\""), "port", errors, 1)).isEqualTo(1);
    assertThat(YamlValues.wholeNumber(node("1.5"), "port", 1, 10, errors, 2)).isEqualTo(2);
    assertThat(YamlValues.wholeNumber(node("11"), "port", 1, 10, errors, 3)).isEqualTo(3);
    assertThat(YamlValues.wholeNumber(node("18446744073709551616"), "port", errors, 4))
        .isEqualTo(4);
    assertThat(errors)
        .containsExactly(
            "port: expected a whole number, found the text \"7\" (write numbers without quotes)",
            "port: expected a whole number 1..10, found the number 1.5",
            "port: expected 1..10, found 11",
            "port: expected a whole number, found the number 18446744073709551616");
  }

  @Test
  void duration_inEveryForm() throws Exception {
    assertThat(YamlValues.duration(node("\"250ms\""), "d", errors))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(YamlValues.duration(node("\"15m\""), "d", errors)).isEqualTo(Duration.ofMinutes(15));
    assertThat(YamlValues.duration(node("\"7d\""), "d", errors)).isEqualTo(Duration.ofDays(7));
    assertThat(YamlValues.duration(node("\"PT24H\""), "d", errors)).isEqualTo(Duration.ofHours(24));
    assertThat(YamlValues.duration(node("30"), "d", errors)).isEqualTo(Duration.ofSeconds(30));
    assertThat(errors).isEmpty();
    assertThat(YamlValues.duration(node("\"soon\""), "d", errors)).isNull();
    assertThat(YamlValues.duration(node("\"99999999999999999999d\""), "d", errors)).isNull();
    assertThat(YamlValues.duration(node("{}"), "d", errors)).isNull();
    assertThat(errors).hasSize(3);
    assertThat(errors.get(1))
        .isEqualTo("d: the duration is too long, found the text \"99999999999999999999d\"");
  }

  @Test
  void unknownKeys_nameEachOne_andTheKnownOnes() throws Exception {
    YamlValues.unknownKeys(
        node("{\"a\":1,\"zz\":2,\"b\":3,\"yy\":4}"), List.of("b", "a"), "tls.", errors);
    assertThat(errors)
        .containsExactly(
            "tls.zz: unknown setting (known here: b, a)",
            "tls.yy: unknown setting (known here: b, a)");
  }
}
