package org.millicent.broker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;

/**
 * A JSON request body with typed, checked field access; every failure is {@code bad-request} or
 * {@code bad-amount} naming the field. Not thread-safe (one request's).
 */
final class Body {
  private static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode root;

  private Body(JsonNode root) {
    this.root = root;
  }

  static Body parse(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "request body is larger than 4 MiB");
    }
    JsonNode n;
    try {
      n = bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "request body is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "request body must be a JSON object");
    }
    return new Body(n);
  }

  JsonNode root() {
    return root;
  }

  String text(String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isTextual()) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "field " + field + " must be text, found " + describe(v));
    }
    return v.asText();
  }

  String optionalText(String field, String dflt) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? dflt : text(field);
  }

  /** A positive whole number of millicents that fits a long. */
  long amount(String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isIntegralNumber()) {
      throw new BrokerException(
          BrokerError.BAD_AMOUNT,
          "field " + field + " must be a whole number of millicents, found " + describe(v));
    }
    if (!v.canConvertToLong()) {
      throw new BrokerException(
          BrokerError.BAD_AMOUNT, "field " + field + " overflows 64 bits: " + v.asText());
    }
    return v.longValue();
  }

  /** A list of unsigned 64-bit decimals. */
  List<Long> unsignedList(String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isArray()) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "field " + field + " must be a list, found " + describe(v));
    }
    List<Long> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      try {
        out.add(Long.parseUnsignedLong(e.asText()));
      } catch (NumberFormatException ex) {
        throw new BrokerException(
            BrokerError.BAD_REQUEST,
            "field " + field + " must hold unsigned 64-bit decimals, found " + e);
      }
    }
    return out;
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String s = v.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
