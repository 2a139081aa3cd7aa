package org.millicent.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.wallet.HistoryEntry;

class HistoryCommandTest {
  private static final Instant T = Instant.parse("2026-12-06T08:00:00Z");

  private static HistoryEntry entry(
      String kind, String state, Long price, Long change, String outcome, String detail) {
    return new HistoryEntry(
        7,
        kind,
        "venetia",
        kind.equals("buy") ? "POST" : "GET",
        "http://127.0.0.1:8080/pages/haiku.html",
        state,
        1_000,
        Optional.ofNullable(price),
        Optional.ofNullable(change),
        Optional.ofNullable(outcome),
        Optional.ofNullable(detail),
        T,
        Optional.empty());
  }

  @Test
  void line_failedBuy_saysNothingWasBought() {
    String line =
        HistoryCommand.line(
            entry("buy", "failed", null, null, "broker-refused", "over the credit limit"));
    assertThat(line)
        .contains("buying 1¢ (1,000 m¢) failed, nothing bought (broker-refused)")
        .contains("over the credit limit")
        .doesNotContain("bought 1¢");
  }

  @Test
  void line_doneBuy_saysBought() {
    assertThat(HistoryCommand.line(entry("buy", "done", 1_000L, null, "ok", null)))
        .endsWith(": bought 1¢ (1,000 m¢)");
  }

  @Test
  void line_buyInFlight_saysSo() {
    assertThat(HistoryCommand.line(entry("buy", "in-flight", null, null, null, null)))
        .endsWith(": buying 1¢ (1,000 m¢), in flight");
  }

  @Test
  void line_purchases_showWhatWasPaidOrThatItFailed() {
    assertThat(HistoryCommand.line(entry("purchase", "done", 100L, 900L, "ok", null)))
        .endsWith(": paid 0.1¢ (100 m¢), change 0.9¢ (900 m¢)");
    assertThat(HistoryCommand.line(entry("purchase", "failed", null, null, "spent", null)))
        .endsWith(": paying 1¢ (1,000 m¢) failed (spent)");
  }
}
