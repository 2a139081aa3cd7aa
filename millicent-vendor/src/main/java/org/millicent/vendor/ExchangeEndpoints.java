package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.millicent.bytes.Base64Url;
import org.millicent.http.ExchangeRequest;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.Recovery;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.VendorMetrics.Kind;

/**
 * The gateway's scrip endpoints (docs/HTTP-API.md, "Vendor gateway"): the exchange, which renews,
 * splits and merges scrip, and the recovery of an earlier request's outcome for a wallet that lost
 * the answer. Thread-safe: all state is in the thread-safe services.
 */
final class ExchangeEndpoints {
  private final VendorGateway gateway;
  private final Supplier<VendorState> state;
  private final Problems problems;
  private final VendorMetrics metrics;
  private final ObjectMapper json;
  private final SecureRandom random;

  ExchangeEndpoints(
      VendorGateway gateway,
      Supplier<VendorState> state,
      Problems problems,
      VendorMetrics metrics,
      ObjectMapper json,
      SecureRandom random) {
    this.gateway = gateway;
    this.state = state;
    this.problems = problems;
    this.metrics = metrics;
    this.json = json;
    this.random = random;
  }

  /**
   * {@code POST /millicent/exchange}: renews, splits or merges scrip (docs/HTTP-API.md), paid at
   * price 0 with the first input.
   */
  void exchange(Context ctx) {
    long t0 = System.nanoTime();
    Kind kind = Kind.REJECTED;
    try {
      String auth = ctx.header("Authorization");
      if (auth == null || !AuthParams.isMillicent(auth)) {
        problems.write(
            ctx,
            ProblemCode.PAYMENT_REQUIRED,
            "an exchange is paid (price 0) with the first input scrip",
            0);
        return;
      }
      byte[] body = RequestBodies.of(ctx);
      Payment payment =
          PaymentHeader.parse(
              auth, gateway.descriptor(ctx, "POST", VendorGateway.target(ctx), body));
      VendorState st = state.get();
      byte[] plain =
          payment instanceof Payment.Private pp
              ? VendorGateway.knowingNewLicences(st, () -> st.purchases.openRequestBody(pp, body))
              : body;
      ExchangeRequest request = ExchangeRequest.parse(plain);
      Exchange e =
          VendorGateway.knowingNewLicences(
              st, () -> st.exchanges.exchange(payment, request.inputs(), request.operation()));
      if (!e.isReplay()) {
        for (byte[] in : request.inputs()) {
          st.received.record(ScripCodec.decode(in));
        }
      }
      List<String> tokens = new ArrayList<>();
      for (Scrip s : e.outputs()) {
        tokens.add(s.token());
      }
      byte[] out = jsonBytes(Map.of("scrip", tokens));
      Receipt receipt = e.receipt(200, out, random);
      String type = "application/json";
      if (e.variant() == Variant.PRIVATE) {
        out = e.sealResponse(200, out, random);
        ctx.header(Headers.SEALED_CONTENT_TYPE, type);
        type = Headers.SEALED_MEDIA_TYPE;
      }
      ctx.status(200);
      ctx.header("Cache-Control", "no-store");
      ctx.header(Headers.RECEIPT, receipt.format());
      ctx.contentType(type).result(out);
      kind = Kind.EXCHANGE;
    } catch (RuntimeException e) {
      problems.write(ctx, e, 0);
    } finally {
      metrics.request(kind, System.nanoTime() - t0);
    }
    // A request body the client broke or abandoned raises an IOException from Javalin's reader
    // (undeclared): it reaches the server's exception mapping, which answers 400 bad-request.
  }

  private byte[] jsonBytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e);
    }
  }

  // ------------------------------------------------------------------ recover

  /**
   * {@code POST /millicent/recover}: what became of an earlier request paid with a scrip, for a
   * wallet that lost the answer (docs/HTTP-API.md). Paid (price 0, nothing spent) with a signed
   * payment of that scrip over this request, which proves ownership; the answer carries the
   * recorded price and change in a receipt MACed like a purchase's.
   */
  void recover(Context ctx) {
    long t0 = System.nanoTime();
    Kind kind = Kind.REJECTED;
    try {
      String auth = ctx.header("Authorization");
      if (auth == null || !AuthParams.isMillicent(auth)) {
        throw new ProblemException(
            ProblemCode.UNAUTHORIZED,
            "a recovery is asked with a signed payment of the scrip asked about");
      }
      byte[] body = RequestBodies.of(ctx);
      Payment payment =
          PaymentHeader.parse(
              auth, gateway.descriptor(ctx, "POST", VendorGateway.target(ctx), body));
      byte[] fingerprint = recoverFingerprint(body);
      VendorState st = state.get();
      Recovery r =
          VendorGateway.knowingNewLicences(st, () -> st.purchases.recover(payment, fingerprint));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("state", r.state().wireName());
      answer.put("scrip_id", r.scrip().id().toString());
      answer.put("price_millicents", r.priceMillicents());
      if (r.state() == Recovery.State.SPENT) {
        st.exchanges
            .outputsOf(fingerprint)
            .ifPresent(outs -> answer.put("scrip", outs.stream().map(Scrip::token).toList()));
      }
      byte[] out = json.writeValueAsBytes(answer);
      ctx.status(200);
      ctx.header("Cache-Control", "no-store");
      ctx.header(Headers.RECEIPT, r.receipt(200, out).format());
      ctx.contentType("application/json").result(out);
      kind = Kind.API;
    } catch (IOException e) {
      problems.write(ctx, new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e), -1);
    } catch (RuntimeException e) {
      problems.write(ctx, e, -1);
    } finally {
      metrics.request(kind, System.nanoTime() - t0);
    }
  }

  private byte[] recoverFingerprint(byte[] body) {
    try {
      JsonNode root = json.readTree(body);
      JsonNode fp = root == null ? null : root.get("fingerprint");
      if (fp == null || !fp.isTextual()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST,
            "recover body must be {\"fingerprint\": \"<base64url request MAC>\"}");
      }
      byte[] b = Base64Url.decode(fp.asText());
      if (b.length == 0 || b.length > 64) {
        throw new ProblemException(ProblemCode.BAD_REQUEST, "fingerprint must be 1..64 bytes");
      }
      return b;
    } catch (IOException | IllegalArgumentException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "recover body is not as documented: " + e.getMessage(), e);
    }
  }
}
