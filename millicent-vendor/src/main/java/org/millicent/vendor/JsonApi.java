package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import org.millicent.vendor.VendorMetrics.Kind;

/**
 * How the vendor's JSON endpoints for brokers and its operator read requests and answer: a JSON
 * object body, integer fields in range, and an answer written as a JSON {@code 200} or, for any
 * failure, a problem document. Thread-safe.
 */
final class JsonApi {
  /** One endpoint's answer, serialised as JSON. */
  @FunctionalInterface
  interface Answer {
    Object answer(Context ctx) throws IOException;
  }

  private final ObjectMapper json;
  private final Problems problems;
  private final VendorMetrics metrics;

  JsonApi(ObjectMapper json, Problems problems, VendorMetrics metrics) {
    this.json = json;
    this.problems = problems;
    this.metrics = metrics;
  }

  /** A handler that runs {@code answer}: its result becomes a JSON 200, any failure a problem. */
  Handler handler(Answer answer) {
    return ctx -> call(ctx, answer);
  }

  /**
   * A handler that runs {@code page}, which writes its own answer (an HTML page); any failure is a
   * problem document instead.
   */
  Handler page(Handler page) {
    return ctx -> {
      long t0 = System.nanoTime();
      try {
        page.handle(ctx);
      } catch (Exception e) {
        problems.write(ctx, e, -1);
      } finally {
        metrics.request(Kind.API, System.nanoTime() - t0);
      }
    };
  }

  private void call(Context ctx, Answer answer) {
    long t0 = System.nanoTime();
    try {
      Object out = answer.answer(ctx);
      ctx.status(200).header("Cache-Control", "no-store").contentType("application/json");
      ctx.result(json.writeValueAsBytes(out));
    } catch (IOException e) {
      problems.write(ctx, new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e), -1);
    } catch (RuntimeException e) {
      problems.write(ctx, e, -1);
    } finally {
      metrics.request(Kind.API, System.nanoTime() - t0);
    }
  }

  /**
   * The request body as a JSON object.
   *
   * @throws ProblemException {@code bad-request} when it is not JSON or not an object
   */
  JsonNode body(Context ctx) {
    try {
      JsonNode n = json.readTree(ctx.bodyAsBytes());
      if (n == null || !n.isObject()) {
        throw new ProblemException(ProblemCode.BAD_REQUEST, "expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.BAD_REQUEST, "body is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The integer {@code field} of {@code body}.
   *
   * @throws ProblemException {@code bad-request} when it is missing, not an integer or not in
   *     {@code min..max}
   */
  static long requireLong(JsonNode body, String field, long min, long max) {
    JsonNode n = body.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"" + field + "\" must be an integer, found " + n);
    }
    long v = n.asLong();
    if (v < min || v > max) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST,
          "\"" + field + "\" must be " + min + ".." + max + ", found " + v);
    }
    return v;
  }
}
