package org.millicent.vendor.content;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Content to deliver: status, type, other headers worth passing on, and the body bytes exactly as
 * they will be sent (the signed variant's reply MAC covers their digest).
 *
 * @param status the HTTP status
 * @param contentType the media type, or {@code null}
 * @param headers other response headers to pass on
 * @param body the body
 */
public record ContentResponse(
    int status, @Nullable String contentType, Map<String, List<String>> headers, byte[] body) {
  /** A 200 response with no extra headers. */
  public static ContentResponse ok(@Nullable String contentType, byte[] body) {
    return new ContentResponse(200, contentType, Map.of(), body);
  }
}
