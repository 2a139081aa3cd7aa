package org.millicent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.millicent.purchase.ExchangeService;
import org.millicent.scrip.ScripCodec;

/**
 * The body of {@code POST /millicent/exchange}, at a vendor and at a broker alike
 * (docs/HTTP-API.md, "POST /millicent/exchange"): {@code scrip}, 1 to {@link
 * ExchangeService#MAX_PIECES} tokens, and {@code operation}, {@code renew}, {@code merge} or {@code
 * split} with {@code amounts_millicents}, 1 to {@link ExchangeService#MAX_PIECES} integers. The one
 * reader of it; immutable.
 *
 * @param inputs the scrip given, encoded, in the order sent
 * @param operation what to make of it
 */
public record ExchangeRequest(List<byte[]> inputs, ExchangeService.Operation operation) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the list of inputs (the arrays are the caller's). */
  public ExchangeRequest {
    inputs = List.copyOf(inputs);
  }

  /**
   * Reads an exchange body.
   *
   * @throws BadRequestException when the body is not a JSON object of the form above
   * @throws org.millicent.failure.MalformedException when a token is not scrip
   */
  public static ExchangeRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException("exchange body is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("exchange body must be a JSON object");
    }
    JsonNode scrip = root.get("scrip");
    if (scrip == null || !scrip.isArray() || scrip.isEmpty()) {
      throw new BadRequestException("exchange body needs \"scrip\": a list of scrip tokens");
    }
    if (scrip.size() > ExchangeService.MAX_PIECES) {
      throw new BadRequestException(
          "an exchange takes at most " + ExchangeService.MAX_PIECES + " pieces of scrip");
    }
    List<byte[]> inputs = new ArrayList<>();
    for (JsonNode t : scrip) {
      if (!t.isTextual()) {
        throw new BadRequestException("\"scrip\" must list tokens (strings), found " + t);
      }
      inputs.add(ScripCodec.encode(ScripCodec.fromToken(t.asText())));
    }
    JsonNode opNode = root.get("operation");
    String op = opNode != null && opNode.isTextual() ? opNode.asText() : "";
    ExchangeService.Operation operation =
        switch (op) {
          case "renew" -> new ExchangeService.Renew();
          case "merge" -> new ExchangeService.Merge();
          case "split" -> new ExchangeService.Split(amounts(root.get("amounts_millicents")));
          default ->
              throw new BadRequestException(
                  "\"operation\" must be renew, split or merge, found "
                      + (opNode == null ? "nothing" : opNode.toString()));
        };
    return new ExchangeRequest(inputs, operation);
  }

  private static List<Long> amounts(JsonNode n) {
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw new BadRequestException("split needs \"amounts_millicents\": a list of integers");
    }
    if (n.size() > ExchangeService.MAX_PIECES) {
      throw new BadRequestException(
          "split takes at most " + ExchangeService.MAX_PIECES + " amounts");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode a : n) {
      if (!a.isIntegralNumber() || !a.canConvertToLong()) {
        throw new BadRequestException("\"amounts_millicents\" must hold integers, found " + a);
      }
      out.add(a.asLong());
    }
    return out;
  }
}
