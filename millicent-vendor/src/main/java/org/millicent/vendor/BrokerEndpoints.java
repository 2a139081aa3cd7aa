package org.millicent.vendor;

import static org.millicent.vendor.JsonApi.requireLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
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
import java.util.function.Supplier;
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
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.SettlementStore;

/**
 * The endpoints brokers call (docs/HTTP-API.md, "Broker-facing endpoints"): a broker's own account,
 * warehouse sales, exchange of broker scrip into a customer's, and the received-IDs report with its
 * settlement mark. Every one needs a broker's bearer token over TLS or loopback; the operator's are
 * {@link AdminEndpoints}. Thread-safe.
 */
final class BrokerEndpoints {
  /** Most pieces in one warehouse lot. */
  static final int MAX_LOT = 10_000;

  private static final byte[] EXCHANGE_LABEL =
      "millicent-broker-exchange-v1".getBytes(StandardCharsets.US_ASCII);

  private final VendorConfig config;
  private final VendorState state;
  private final JsonApi api;
  private final SecureRandom random;

  BrokerEndpoints(VendorConfig config, VendorState state, JsonApi api, SecureRandom random) {
    this.config = config;
    this.state = state;
    this.api = api;
    this.random = random;
  }

  /**
   * The routes, each taking its handler through {@code self} (resolved per request), added through
   * {@code fixed} (which also routes HEAD for each GET, so that a HEAD runs the token check).
   */
  static void addRoutes(
      RouteMethods fixed, RoutesConfig routes, JsonApi api, Supplier<BrokerEndpoints> self) {
    fixed.get(routes, "/millicent/broker/account", api.handler(c -> self.get().account(c)));
    fixed.post(routes, "/millicent/broker/warehouse", api.handler(c -> self.get().warehouse(c)));
    fixed.post(routes, "/millicent/broker/exchange", api.handler(c -> self.get().exchange(c)));
    fixed.get(routes, "/millicent/broker/received", api.handler(c -> self.get().received(c)));
    fixed.post(
        routes, "/millicent/broker/received/settled", api.handler(c -> self.get().settled(c)));
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
    JsonNode body = api.body(ctx);
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
    JsonNode body = api.body(ctx);
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
        state.received.record(ScripCodec.decode(in));
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
    state.received.recordMissing();
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
    long upto = requireLong(api.body(ctx), "upto", 0, Long.MAX_VALUE);
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
