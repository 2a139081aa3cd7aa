package org.millicent.cli.scrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;

class ScripReportTest {
  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  private static ScripReport reportAt(Instant now) {
    Scrip scrip =
        new Scrip(
            new ScripBody("v", 100, new ScripId(0, 7), 42, EXPIRY, ScripProperties.NONE),
            Certificate.of(new byte[16]));
    return new ScripReport(scrip, 60, now);
  }

  @Test
  void span_showsTheTwoLargestUnits() {
    assertThat(ScripReport.span(Duration.ofSeconds(0))).isEqualTo("0s");
    assertThat(ScripReport.span(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(ScripReport.span(Duration.ofSeconds(3 * 86_400 + 4 * 3_600 + 5))).isEqualTo("3d 4h");
    assertThat(ScripReport.span(Duration.ofDays(3).plusMinutes(5))).isEqualTo("3d");
  }

  @Test
  void text_beforeExpiry_saysValidFor() {
    assertThat(reportAt(EXPIRY.minusSeconds(90)).text()).contains("valid for 1m 30s");
  }

  @Test
  void text_atExpiryInstant_saysExpired_asTheVendorRefusesIt() {
    assertThat(reportAt(EXPIRY).text()).contains("expired 0s ago");
  }

  @Test
  void fields_afterExpiry_markExpiredWithNoSecondsLeft() {
    Map<String, Object> f = reportAt(EXPIRY.plusSeconds(5)).fields();
    @SuppressWarnings("unchecked")
    Map<String, Object> expiry = (Map<String, Object>) f.get("expires_at");
    assertThat(expiry).containsEntry("expired", true).containsEntry("seconds_left", 0L);
    assertThat(f).containsEntry("encoded_length", 60).containsEntry("certificate_verified", false);
  }
}
