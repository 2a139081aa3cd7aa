package org.millicent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Accept negotiation between the pages for people and JSON, and HTML escaping. */
class HtmlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        // Chromium, Firefox and Safari navigating to a page.
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html",
        "TEXT/HTML; charset=utf-8",
        "application/json;q=0.5, text/html",
        "text/*, application/json;q=0.9"
      })
  void browsers_preferHtml(String accept) {
    assertThat(Html.prefersHtml(accept)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "*/*",
        "application/json",
        "application/problem+json",
        "application/*",
        "text/html, application/json",
        "text/html;q=0.5, application/problem+json",
        "text/html;q=0",
        "text/html;q=nonsense",
        "text/html;q=2",
        "text/plain",
        "garbage",
        ",,;;/",
        "text/html;q=0.8, */*"
      })
  void programs_andTies_getJson(String accept) {
    assertThat(Html.prefersHtml(accept)).isFalse();
  }

  @Test
  void noAccept_getsJson() {
    assertThat(Html.prefersHtml(null)).isFalse();
  }

  @Test
  void theMostSpecificRange_decides() {
    assertThat(Html.quality("text/*;q=0.3, text/html;q=0.7, */*;q=0.1", "text", "html"))
        .isEqualTo(0.7);
    assertThat(Html.quality("text/*;q=0.3, */*;q=0.1", "text", "html")).isEqualTo(0.3);
    assertThat(Html.quality("image/png", "text", "html")).isZero();
  }

  @Test
  void escape_coversTextAndQuotedAttributes() {
    assertThat(Html.escape("<a href=\"x\" title='y'>&</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape("plain /pages/a.html")).isEqualTo("plain /pages/a.html");
  }
}
