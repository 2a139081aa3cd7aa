package org.millicent.broker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.broker.BrokerError;
import org.millicent.failure.FailureCode;
import org.millicent.failure.PaymentException;

/**
 * Writes RFC 9457 problem documents with the stable codes of docs/HTTP-API.md: the one place that
 * maps every failure (a {@link BrokerError}, a payment failure, a storage failure, a bug) to its
 * HTTP status. Stateless and thread-safe.
 */
final class Problems {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TYPE_PREFIX = "https://millicent.dev/problems/";

  /** The status of a storage failure, whatever its code. */
  static final int STORAGE_STATUS = 503;

  /** The status of a failure that is a bug, answered with code {@code internal}. */
  static final int INTERNAL_STATUS = 500;

  private Problems() {}

  static void write(Context ctx, int status, String code, String title, String detail) {
    write(ctx, status, code, title, detail, Map.of());
  }

  static void write(
      Context ctx, int status, String code, String title, String detail, Map<String, Object> more) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", TYPE_PREFIX + code);
    p.put("title", title);
    p.put("status", status);
    p.put("code", code);
    p.put("detail", detail == null ? title : detail);
    p.putAll(more);
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/problem+json");
    try {
      ctx.result(JSON.writeValueAsBytes(p));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a problem document", e);
    }
  }

  static void write(Context ctx, BrokerError e, String detail) {
    write(ctx, status(e), e.code(), e.title(), detail);
  }

  /** The HTTP status each broker failure is answered with. */
  static int status(BrokerError e) {
    return switch (e) {
      case BAD_REQUEST, BAD_AMOUNT -> 400;
      case UNAUTHORIZED -> 401;
      case CREDIT_LIMIT, PAYMENT_REQUIRED -> 402;
      case INSECURE_CHANNEL -> 403;
      case NOT_FOUND, UNKNOWN_VENDOR -> 404;
      case VENDOR_EXISTS, LICENCE_CONFLICT, JOIN_LIMIT, ALREADY_SETTLED -> 409;
      case UNKNOWN_AUTHORITY -> 421;
      case NOT_ISSUED -> 422;
      case VENDOR_UNAVAILABLE -> 502;
      case NO_LICENCE -> 503;
      case STORAGE_UNAVAILABLE -> STORAGE_STATUS;
    };
  }

  /**
   * The status of a payment failure: malformed is 400, an identical request in progress 409, every
   * other payment failure 402.
   */
  static int status(PaymentException e) {
    return switch (e.code()) {
      case MALFORMED -> 400;
      case IN_PROGRESS -> 409;
      default -> 402;
    };
  }

  static String title(FailureCode c) {
    return switch (c) {
      case FORGED -> "Scrip or MAC forged";
      case SPENT -> "Scrip already spent";
      case EXPIRED -> "Scrip expired";
      case WRONG_VENDOR -> "Scrip of another vendor";
      case WRONG_CUSTOMER -> "Scrip of another customer";
      case INSUFFICIENT -> "Scrip value too low";
      case MALFORMED -> "Malformed payment";
      case UNKNOWN_KEY -> "Unknown key";
      case IN_PROGRESS -> "Identical request in progress";
    };
  }
}
