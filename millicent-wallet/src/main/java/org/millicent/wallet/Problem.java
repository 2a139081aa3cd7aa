package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.millicent.wallet.http.Response;

/**
 * The parts of an RFC 9457 problem document the wallet acts on (docs/HTTP-API.md): the stable
 * {@code code} and a readable detail. Immutable.
 *
 * @param status the HTTP status
 * @param code the stable code, or {@code http-<status>} when the body carries none
 * @param detail what the server said, or the status line
 */
record Problem(int status, String code, String detail) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The problem a non-success response describes. */
  static Problem of(Response response) {
    String code = "http-" + response.status();
    String detail = "HTTP status " + response.status();
    try {
      JsonNode n = JSON.readTree(response.body());
      if (n != null && n.isObject()) {
        if (n.hasNonNull("code")) {
          code = n.get("code").asText();
        }
        if (n.hasNonNull("detail")) {
          detail = n.get("detail").asText();
        } else if (n.hasNonNull("title")) {
          detail = n.get("title").asText();
        }
      }
    } catch (IOException e) {
      // Not a problem document: the status is all there is to say.
    }
    return new Problem(response.status(), code, truncate(detail));
  }

  private static String truncate(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
