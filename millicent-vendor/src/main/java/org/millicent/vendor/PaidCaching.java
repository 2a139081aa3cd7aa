package org.millicent.vendor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.millicent.vendor.content.ContentResponse;

/**
 * The {@code Cache-Control} of a paid answer (docs/HTTP-API.md, "Reloading a bought page"): {@code
 * no-store}, unless the content is a {@code 200} whose own {@code Cache-Control} lets its payer
 * keep it ({@code private} with a {@code max-age}, and neither {@code no-store} nor {@code
 * no-cache}); then that, so the payer's wallet may serve a reload from its private copy instead of
 * paying again. No shared cache may keep it either way. Stateless.
 */
final class PaidCaching {
  private PaidCaching() {}

  static String cacheControl(ContentResponse content) {
    if (content.status() != 200) {
      return "no-store";
    }
    for (Map.Entry<String, List<String>> h : content.headers().entrySet()) {
      if (!h.getKey().equalsIgnoreCase("Cache-Control")) {
        continue;
      }
      String v = String.join(", ", h.getValue());
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.contains("private")
          && lower.contains("max-age=")
          && !lower.contains("no-store")
          && !lower.contains("no-cache")
          && !lower.contains("public")) {
        return v;
      }
    }
    return "no-store";
  }
}
