package org.millicent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millicent.http.DashboardPage.Figure;
import org.millicent.http.DashboardPage.Series;
import org.millicent.http.DashboardPage.Unit;

class DashboardPageTest {
  private static final String EVIL = "<script>alert(\"x\")</script>&'";
  private static final String ESCAPED =
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";

  @Test
  void everyText_isEscaped_andThePageHasNoInlineScriptOrStyle() {
    String html =
        new String(
            new DashboardPage(EVIL, EVIL, "/a")
                .section(EVIL)
                .note(EVIL)
                .figures(List.of(new Figure(EVIL, EVIL, EVIL)))
                .table(
                    "t",
                    List.of(EVIL, "n"),
                    List.of(List.of(DashboardPage.text(EVIL), DashboardPage.money(1_500))),
                    EVIL)
                .chart(
                    "c",
                    EVIL,
                    Unit.COUNT,
                    true,
                    true,
                    List.of(Instant.parse("2026-11-10T03:00:00Z")),
                    List.of(new Series(EVIL, new long[] {7})))
                .stackedBar(EVIL, List.of(new Figure(EVIL, EVIL, "")), new long[] {1})
                .finish(),
            StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script>alert").doesNotContain("style=").contains(ESCAPED);
    assertThat(
            html.replace("<script defer src=\"/a/uplot.js\"></script>", "")
                .replace("<script defer src=\"/a/dashboard.js\"></script>", ""))
        .doesNotContain("<script");
    assertThat(html).contains("<tr data-t=\"1794279600\"><th scope=\"row\">2026-11-10 03:00</th>");
    assertThat(html).contains("<td class=\"num\" data-v=\"7\">7</td>");
    assertThat(html).contains("<td class=\"num\" data-v=\"1500\">1.5¢</td>");
  }

  @Test
  void anEmptyTable_saysSoInstead() {
    String html =
        new String(
            new DashboardPage("t", "s", "/a")
                .table("t", List.of("a"), List.of(), "Nothing yet.")
                .finish(),
            StandardCharsets.UTF_8);
    assertThat(html).contains("<p class=\"muted\">Nothing yet.</p>").doesNotContain("<table");
  }
}
