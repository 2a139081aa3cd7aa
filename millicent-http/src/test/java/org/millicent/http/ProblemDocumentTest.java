package org.millicent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millicent.failure.FailureCode;

class ProblemDocumentTest {
  @Test
  void fieldsInTheirDocumentedOrder_thenTheAddedOnes() {
    String json =
        new String(
            ProblemDocument.bytes(
                402,
                "spent",
                "Scrip already spent",
                "scrip 128:0 was spent",
                Map.of("vendor", "v")),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"type\":\"https://millicent.dev/problems/spent\",\"title\":\"Scrip already spent\","
                + "\"status\":402,\"code\":\"spent\",\"detail\":\"scrip 128:0 was spent\","
                + "\"vendor\":\"v\"}");
  }

  @Test
  void aMissingOrBlankDetail_isTheTitle() {
    assertThat(ProblemDocument.body(404, "not-found", "Not found", null, Map.of()))
        .containsEntry("detail", "Not found");
    assertThat(ProblemDocument.body(404, "not-found", "Not found", " ", Map.of()))
        .containsEntry("detail", "Not found");
  }

  @ParameterizedTest
  @EnumSource(FailureCode.class)
  void everyPaymentFailure_hasAStatusAndTitle(FailureCode code) {
    int status = PaymentFailures.status(code);
    assertThat(status)
        .isEqualTo(
            switch (code) {
              case MALFORMED -> 400;
              case IN_PROGRESS -> 409;
              default -> 402;
            });
    assertThat(PaymentFailures.title(code)).isNotBlank();
  }
}
