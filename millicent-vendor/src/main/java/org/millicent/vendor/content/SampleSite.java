package org.millicent.vendor.content;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.millicent.money.Amounts;
import org.millicent.vendor.config.SamplePage;

/**
 * The built-in sample catalogue's pages, rendered once at start: a free index at {@code /} listing
 * the priced pages of {@link SamplePage#ALL}. Immutable and thread-safe.
 */
final class SampleSite implements ContentSource {
  private static final String HTML = "text/html; charset=utf-8";

  private final Map<String, byte[]> pages = new HashMap<>();

  SampleSite() {
    StringBuilder index =
        new StringBuilder(
            "<!doctype html>\n<html><head><title>Venetia's pages</title></head><body>\n"
                + "<h1>Venetia's pages</h1>\n<p>Each page costs a fraction of a cent, paid in"
                + " Millicent scrip.</p>\n<ul>\n");
    for (SamplePage p : SamplePage.ALL) {
      index
          .append("<li><a href=\"")
          .append(p.path())
          .append("\">")
          .append(p.title())
          .append("</a> &mdash; ")
          .append(Amounts.format(p.priceMillicents()))
          .append("</li>\n");
      pages.put(
          p.path(),
          ("<!doctype html>\n<html><head><title>"
                  + p.title()
                  + "</title></head><body>\n<h1>"
                  + p.title()
                  + "</h1>\n<p>"
                  + p.text()
                  + "</p>\n</body></html>\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    index.append("</ul>\n</body></html>\n");
    byte[] indexBytes = index.toString().getBytes(StandardCharsets.UTF_8);
    pages.put("/", indexBytes);
    pages.put("/index.html", indexBytes);
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public boolean mayExist(String path) {
    return pages.containsKey(path);
  }

  @Override
  public ContentResponse fetch(ContentRequest request) {
    byte[] page = pages.get(request.path());
    if (page == null) {
      return new ContentResponse(
          404,
          "text/plain; charset=utf-8",
          Map.of(),
          "not found\n".getBytes(StandardCharsets.UTF_8));
    }
    return ContentResponse.ok(HTML, page);
  }

  @Override
  public void close() {}
}
