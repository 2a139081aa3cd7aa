package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.millicent.purchase.ExchangeService;
import org.millicent.scrip.ScripCodec;

/** The body of {@code POST /millicent/exchange}. */
record ExchangeRequest(List<byte[]> inputs, ExchangeService.Operation operation) {
  static ExchangeRequest parse(ObjectMapper json, byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "exchange body is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ProblemException(ProblemCode.BAD_REQUEST, "exchange body must be a JSON object");
    }
    JsonNode scrip = root.get("scrip");
    if (scrip == null || !scrip.isArray() || scrip.isEmpty()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "exchange body needs \"scrip\": a list of scrip tokens");
    }
    if (scrip.size() > ExchangeService.MAX_PIECES) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST,
          "an exchange takes at most " + ExchangeService.MAX_PIECES + " pieces of scrip");
    }
    List<byte[]> inputs = new ArrayList<>();
    for (JsonNode t : scrip) {
      if (!t.isTextual()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "\"scrip\" must list tokens (strings), found " + t);
      }
      inputs.add(ScripCodec.encode(ScripCodec.fromToken(t.asText())));
    }
    String op = root.path("operation").asText("");
    ExchangeService.Operation operation =
        switch (op) {
          case "renew" -> new ExchangeService.Renew();
          case "merge" -> new ExchangeService.Merge();
          case "split" -> new ExchangeService.Split(amounts(root.get("amounts_millicents")));
          default ->
              throw new ProblemException(
                  ProblemCode.BAD_REQUEST,
                  "\"operation\" must be renew, split or merge, found \"" + op + '"');
        };
    return new ExchangeRequest(inputs, operation);
  }

  private static List<Long> amounts(JsonNode n) {
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "split needs \"amounts_millicents\": a list of integers");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode a : n) {
      if (!a.isIntegralNumber() || !a.canConvertToLong()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "\"amounts_millicents\" must hold integers, found " + a);
      }
      out.add(a.asLong());
    }
    if (out.size() > ExchangeService.MAX_PIECES) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST,
          "split takes at most " + ExchangeService.MAX_PIECES + " amounts");
    }
    return out;
  }
}
