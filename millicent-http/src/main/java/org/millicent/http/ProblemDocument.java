package org.millicent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes RFC 9457 problem documents as both servers answer every error (docs/HTTP-API.md, "Status
 * codes and problem documents"): {@code type} ({@link #TYPE_BASE} and the code), {@code title},
 * {@code status}, {@code code} and {@code detail} in that order, then any fields the answer adds (a
 * 402's offer), with {@code Content-Type: application/problem+json} and {@code Cache-Control:
 * no-store}. A missing or blank detail is the title. Which status and code a failure gets is each
 * server's one mapping; this class only writes. Stateless and thread-safe.
 */
public final class ProblemDocument {
  /** Media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Base of every problem type URI. */
  public static final String TYPE_BASE = HttpRefusal.TYPE_BASE;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemDocument() {}

  /**
   * The document's fields, in their order, {@code more} last.
   *
   * @param more fields the answer adds after {@code detail} (e.g. the offer of a 402)
   */
  public static Map<String, Object> body(
      int status, String code, String title, String detail, Map<String, ?> more) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + code);
    body.put("title", title);
    body.put("status", status);
    body.put("code", code);
    body.put("detail", detail == null || detail.isBlank() ? title : detail);
    body.putAll(more);
    return body;
  }

  /** The document's bytes, as JSON. */
  public static byte[] bytes(
      int status, String code, String title, String detail, Map<String, ?> more) {
    return json(body(status, code, title, detail, more));
  }

  /** Answers {@code ctx} with the document: its status, the headers above, the body. */
  public static void write(Context ctx, int status, String code, String title, String detail) {
    write(ctx, status, code, title, detail, Map.of());
  }

  /** Answers {@code ctx} with the document and the fields {@code more} after {@code detail}. */
  public static void write(
      Context ctx, int status, String code, String title, String detail, Map<String, ?> more) {
    byte[] bytes = bytes(status, code, title, detail, more);
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(MEDIA_TYPE);
    ctx.result(bytes);
  }

  /** {@code value} as JSON bytes (maps, lists, strings and numbers: never fails). */
  public static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
