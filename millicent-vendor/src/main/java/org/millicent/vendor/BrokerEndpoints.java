package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.bytes.Base64Url;
import org.millicent.http.RouteMethods;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payer;
import org.millicent.purchase.Exchange;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;
import org.millicent.vendor.VendorMetrics.Kind;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.SettlementStore;

/**
 * The endpoints brokers and the vendor's operator call (docs/HTTP-API.md, "Broker-facing endpoints"
 * and "Admin endpoints"): a broker's own account, warehouse sales, exchange of broker scrip into a
 * customer's, the received-IDs report with its settlement mark, and licence issue and revocation.
 * Every one needs a bearer token over TLS or loopback. Thread-safe.
 */
final class BrokerEndpoints {
  /** Most pieces in one warehouse lot. */
  static final int MAX_LOT = 10_000;

  private static final byte[] EXCHANGE_LABEL =
      "millicent-broker-exchange-v1".getBytes(StandardCharsets.US_ASCII);

  private final VendorConfig config;
  private final VendorState state;
  private final String adminToken;
  private final Problems problems;
  private final VendorMetrics metrics;
  private final ObjectMapper json;
  private final SecureRandom random;
  private final VendorKeys keys;

  BrokerEndpoints(
      VendorConfig config,
      VendorState state,
      String adminToken,
      Problems problems,
      VendorMetrics metrics,
      ObjectMapper json,
      SecureRandom random) {
    this.config = config;
    this.state = state;
    this.adminToken = adminToken;
    this.problems = problems;
    this.metrics = metrics;
    this.json = json;
    this.random = random;
    this.keys = VendorKeys.of(config, state, random);
  }

  /**
   * The routes, each taking its handler through {@code self} (resolved per request), added through
   * {@code fixed} (which also routes HEAD for each GET, so that a HEAD runs the token check).
   */
  static void addRoutes(
      RouteMethods fixed, RoutesConfig routes, java.util.function.Supplier<BrokerEndpoints> self) {
    fixed.get(
        routes, "/millicent/broker/account", ctx -> self.get().call(ctx, e -> e.account(ctx)));
    fixed.post(
        routes, "/millicent/broker/warehouse", ctx -> self.get().call(ctx, e -> e.warehouse(ctx)));
    fixed.post(
        routes, "/millicent/broker/exchange", ctx -> self.get().call(ctx, e -> e.exchange(ctx)));
    fixed.get(
        routes, "/millicent/broker/received", ctx -> self.get().call(ctx, e -> e.received(ctx)));
    fixed.post(
        routes,
        "/millicent/broker/received/settled",
        ctx -> self.get().call(ctx, e -> e.settled(ctx)));
    fixed.get(
        routes, "/millicent/admin/licences", ctx -> self.get().call(ctx, e -> e.listLicences(ctx)));
    fixed.post(routes, "/millicent/admin/licences", ctx -> self.get().call(ctx, e -> e.issue(ctx)));
    fixed.delete(
        routes, "/millicent/admin/licences/{id}", ctx -> self.get().call(ctx, e -> e.revoke(ctx)));
    fixed.get(routes, "/millicent/admin/keys", ctx -> self.get().call(ctx, e -> e.listKeys(ctx)));
    fixed.post(
        routes, "/millicent/admin/keys/rotate", ctx -> self.get().call(ctx, e -> e.rotate(ctx)));
    fixed.post(
        routes,
        "/millicent/admin/keys/{id}/retire",
        ctx -> self.get().call(ctx, e -> e.retire(ctx)));
  }

  @FunctionalInterface
  private interface Call {
    Object answer(BrokerEndpoints e) throws IOException;
  }

  /** Runs one endpoint: its answer becomes a JSON 200, any failure a problem document. */
  private void call(Context ctx, Call call) {
    long t0 = System.nanoTime();
    try {
      Object answer = call.answer(this);
      ctx.status(200).header("Cache-Control", "no-store").contentType("application/json");
      ctx.result(json.writeValueAsBytes(answer));
    } catch (IOException e) {
      problems.write(ctx, new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e), -1);
    } catch (RuntimeException e) {
      problems.write(ctx, e, -1);
    } finally {
      metrics.request(Kind.API, System.nanoTime() - t0);
    }
  }

  private BrokerConfig broker(Context ctx) {
    String token = Access.bearer(ctx);
    for (BrokerConfig b : config.brokers()) {
      if (b.tokenMatches(token)) {
        return b;
      }
    }
    throw new ProblemException(ProblemCode.UNAUTHORIZED, "the bearer token names no broker");
  }

  private void admin(Context ctx) {
    if (!Access.sameToken(adminToken, Access.bearer(ctx))) {
      throw new ProblemException(
          ProblemCode.UNAUTHORIZED, "the bearer token is not the admin token");
    }
  }

  private JsonNode body(Context ctx) {
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

  private static long requireLong(JsonNode body, String field, long min, long max) {
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

  // ----------------------------------------------------------------- broker

  private Object account(Context ctx) {
    BrokerConfig b = broker(ctx);
    CustomerSecret secret = state.customers.derive(config.vendor(), b.customerId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("broker", b.id());
    out.put("customer_id", Long.toUnsignedString(b.customerId()));
    out.put("customer_secret", Base64Url.encode(secret.toByteArray()));
    return out;
  }

  private Object warehouse(Context ctx) {
    BrokerConfig b = broker(ctx);
    JsonNode body = body(ctx);
    int count = (int) requireLong(body, "count", 1, MAX_LOT);
    long value = requireLong(body, "value_millicents", 1, ScripBody.MAX_VALUE_MILLICENTS);
    long total;
    try {
      total = Math.multiplyExact(count, value);
    } catch (ArithmeticException e) {
      throw new ProblemException(ProblemCode.BAD_REQUEST, "count x value_millicents overflows");
    }
    // total x bps / 10000 without overflow, rounded down: the broker's discount.
    long discount =
        (total / 10_000) * b.discountBps() + (total % 10_000) * b.discountBps() / 10_000;
    long due = total - discount;
    SpendMode spend = spendMode(body);
    Instant expires =
        state.clock.instant().plus(config.scripLifetime()).truncatedTo(ChronoUnit.SECONDS);
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tokens.add(
          state
              .purchases
              .minter()
              .mint(value, b.customerId(), expires, ScripProperties.NONE, spend)
              .token());
    }
    state.store.settlement().recordSale(b.id(), count, value, due, state.clock.instant());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scrip", tokens);
    out.put("amount_due_millicents", due);
    return out;
  }

  /**
   * The optional {@code "spend"} of a warehouse lot: {@code bound} (the default: spent only with
   * the broker's customer secret, or reassigned to a customer) or {@code bearer} (also spendable in
   * the clear, for a vendor that accepts it).
   */
  private static SpendMode spendMode(JsonNode body) {
    JsonNode n = body.get("spend");
    if (n == null) {
      return SpendMode.BOUND;
    }
    SpendMode m = n.isTextual() ? SpendMode.fromWireName(n.asText()) : null;
    if (m == null) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"spend\" must be \"bound\" or \"bearer\", found " + n);
    }
    return m;
  }

  private Object exchange(Context ctx) {
    BrokerConfig b = broker(ctx);
    JsonNode body = body(ctx);
    JsonNode ref = body.get("customer_ref");
    if (ref == null || !ref.isTextual() || ref.asText().isEmpty() || ref.asText().length() > 128) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"customer_ref\" must be 1..128 characters, found " + ref);
    }
    JsonNode scrip = body.get("scrip");
    if (scrip == null || !scrip.isArray() || scrip.isEmpty()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"scrip\" must list the broker's scrip tokens");
    }
    MessageDigest sha = sha256();
    sha.update(EXCHANGE_LABEL);
    update(sha, b.id());
    update(sha, ref.asText());
    List<byte[]> inputs = new ArrayList<>();
    for (JsonNode t : scrip) {
      if (!t.isTextual()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "\"scrip\" must hold tokens, found " + t);
      }
      byte[] encoded = ScripCodec.encode(ScripCodec.fromToken(t.asText()));
      inputs.add(encoded);
      update(sha, t.asText());
    }
    byte[] fingerprint = Arrays.copyOf(sha.digest(), 16);
    long customerId = state.store.customerFor(b.id(), ref.asText());
    Exchange e = state.exchanges.reassign(inputs, b.customerId(), customerId, fingerprint);
    if (!e.isReplay()) {
      for (byte[] in : inputs) {
        state.licences.received(ScripCodec.decode(in));
      }
    }
    CustomerSecret brokerSecret = state.customers.derive(config.vendor(), b.customerId());
    CustomerSecret customerSecret = state.customers.derive(config.vendor(), customerId);
    byte[] sealed =
        Payer.sealSecret(brokerSecret, config.vendor(), customerId, customerSecret, random);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customer_id", Long.toUnsignedString(customerId));
    out.put("scrip", e.outputs().stream().map(Scrip::token).toList());
    out.put("sealed_customer_secret", Base64Url.encode(sealed));
    return out;
  }

  private Object received(Context ctx) {
    BrokerConfig b = broker(ctx);
    state.licences.recordMissingReceived();
    SettlementStore.Report report = state.store.settlement().receivedReport(b.id());
    List<Map<String, Object>> list = new ArrayList<>();
    for (SettlementStore.Received r : report.received()) {
      list.add(
          Map.of(
              "scrip_id",
              Long.toUnsignedString(r.scripId()),
              "value_millicents",
              r.valueMillicents()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("broker", b.id());
    out.put("ids", list);
    out.put("upto", report.upto());
    return out;
  }

  private Object settled(Context ctx) {
    BrokerConfig b = broker(ctx);
    long upto = requireLong(body(ctx), "upto", 0, Long.MAX_VALUE);
    long reportable = state.store.settlement().reportableUpto(b.id());
    if (upto > reportable) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST,
          "upto "
              + upto
              + " is beyond the last record a report can show broker "
              + b.id()
              + " ("
              + reportable
              + "); settle with the upto of a received report");
    }
    state.store.settlement().settle(b.id(), upto);
    return Map.of("broker", b.id(), "settled_upto", state.store.settlement().settledUpto(b.id()));
  }

  // ------------------------------------------------------------------ admin

  private Object issue(Context ctx) {
    admin(ctx);
    JsonNode body = body(ctx);
    JsonNode broker = body.get("broker");
    if (broker == null || !broker.isTextual()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"broker\" must name a configured broker");
    }
    int count =
        body.has("key_ids") ? (int) requireLong(body, "key_ids", 1, Licences.MAX_KEY_IDS) : 1;
    Integer discount =
        body.has("discount_bps") ? (int) requireLong(body, "discount_bps", 0, 10_000) : null;
    Licences.Issued issued = state.licences.issue(broker.asText(), count, discount);
    return issued.toJson(config.vendor(), config.scripLifetime());
  }

  private Object revoke(Context ctx) {
    admin(ctx);
    GatewayStore.Licence l = state.licences.revoke(ctx.pathParam("id"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("licence_id", l.licenceId());
    out.put("broker", l.broker());
    out.put("revoked", true);
    out.put("key_ids", l.keyIds());
    return out;
  }

  private Object listLicences(Context ctx) {
    admin(ctx);
    List<Map<String, Object>> out = new ArrayList<>();
    for (GatewayStore.Licence l : state.licences.list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("licence_id", l.licenceId());
      m.put("broker", l.broker());
      m.put("key_ids", l.keyIds());
      m.put("customer_selector", l.customerSelector());
      m.put("discount_bps", l.discountBps());
      m.put("revoked", l.revoked());
      out.add(m);
    }
    return Map.of("licences", out);
  }

  // ------------------------------------------------------------ admin keys

  private Object listKeys(Context ctx) {
    admin(ctx);
    return Map.of("keys", keys.list().stream().map(VendorKeys.Key::toMap).toList());
  }

  private Object rotate(Context ctx) {
    admin(ctx);
    VendorKeys.Rotation r = keys.rotate();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("primary", r.primary().toMap());
    out.put("previous", r.previous().toMap());
    return out;
  }

  private Object retire(Context ctx) {
    admin(ctx);
    int keyId;
    try {
      keyId = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "a key id is a number 0..255, found " + ctx.pathParam("id"));
    }
    boolean force = false;
    if (ctx.bodyAsBytes().length > 0) {
      JsonNode f = body(ctx).get("force");
      if (f != null && !f.isBoolean()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "\"force\" must be true or false, found " + f);
      }
      force = f != null && f.asBoolean();
    }
    return keys.retire(keyId, force).toMap();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  private static void update(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (b.length >>> 8));
    sha.update((byte) b.length);
    sha.update(b);
  }
}
