package org.millicent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.failure.MalformedException;
import org.millicent.purchase.ExchangeService;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

class ExchangeRequestTest {
  private static Scrip scrip(long serial) {
    return new Scrip(
        new ScripBody(
            "venetia",
            1000,
            new ScripId(1, serial),
            7,
            Instant.parse("2030-01-01T00:00:00Z"),
            ScripProperties.NONE,
            SpendMode.BOUND),
        Certificate.of(new byte[Certificate.LENGTH]));
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String tokens(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(scrip(i + 1).token()).append('"');
    }
    return b.append(']').toString();
  }

  @Test
  void renew_readsTheInputsInOrder() {
    ExchangeRequest r =
        ExchangeRequest.parse(bytes("{\"operation\":\"renew\",\"scrip\":" + tokens(2) + "}"));
    assertThat(r.operation()).isEqualTo(new ExchangeService.Renew());
    assertThat(r.inputs()).hasSize(2);
    assertThat(r.inputs().get(0)).isEqualTo(ScripCodec.encode(scrip(1)));
    assertThat(r.inputs().get(1)).isEqualTo(ScripCodec.encode(scrip(2)));
  }

  @Test
  void merge_andSplit_withItsAmounts() {
    assertThat(
            ExchangeRequest.parse(bytes("{\"operation\":\"merge\",\"scrip\":" + tokens(3) + "}"))
                .operation())
        .isEqualTo(new ExchangeService.Merge());
    assertThat(
            ExchangeRequest.parse(
                    bytes(
                        "{\"operation\":\"split\",\"amounts_millicents\":[400,600],\"scrip\":"
                            + tokens(1)
                            + "}"))
                .operation())
        .isEqualTo(new ExchangeService.Split(List.of(400L, 600L)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "\"renew\"",
        "{}",
        "{\"operation\":\"renew\"}",
        "{\"operation\":\"renew\",\"scrip\":[]}",
        "{\"operation\":\"renew\",\"scrip\":\"abc\"}",
        "{\"operation\":\"renew\",\"scrip\":[1]}",
        "{\"operation\":\"burn\",\"scrip\":TOKENS}",
        "{\"operation\":7,\"scrip\":TOKENS}",
        "{\"scrip\":TOKENS}",
        "{\"operation\":\"split\",\"scrip\":TOKENS}",
        "{\"operation\":\"split\",\"amounts_millicents\":[],\"scrip\":TOKENS}",
        "{\"operation\":\"split\",\"amounts_millicents\":[1.5],\"scrip\":TOKENS}",
        "{\"operation\":\"split\",\"amounts_millicents\":[\"1\"],\"scrip\":TOKENS}",
        "{\"operation\":\"split\",\"amounts_millicents\":[18446744073709551616],\"scrip\":TOKENS}",
      })
  void anythingElse_isABadRequest(String body) {
    assertThatThrownBy(() -> ExchangeRequest.parse(bytes(body.replace("TOKENS", tokens(1)))))
        .isInstanceOf(BadRequestException.class)
        .satisfies(
            e -> assertThat(((BadRequestException) e).code().code()).isEqualTo("bad-request"));
  }

  @Test
  void atMostMaxPieces_ofScripAndOfAmounts() {
    int max = ExchangeService.MAX_PIECES;
    assertThat(
            ExchangeRequest.parse(bytes("{\"operation\":\"merge\",\"scrip\":" + tokens(max) + "}"))
                .inputs())
        .hasSize(max);
    assertThatThrownBy(
            () ->
                ExchangeRequest.parse(
                    bytes("{\"operation\":\"merge\",\"scrip\":" + tokens(max + 1) + "}")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("at most " + max);
    String ones = String.join(",", Collections.nCopies(max + 1, "1"));
    assertThatThrownBy(
            () ->
                ExchangeRequest.parse(
                    bytes(
                        "{\"operation\":\"split\",\"amounts_millicents\":["
                            + ones
                            + "],\"scrip\":"
                            + tokens(1)
                            + "}")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("at most " + max);
  }

  @Test
  void aTokenThatIsNotScrip_isMalformed() {
    assertThatThrownBy(
            () -> ExchangeRequest.parse(bytes("{\"operation\":\"renew\",\"scrip\":[\"AAAA\"]}")))
        .isInstanceOf(MalformedException.class);
  }
}
