package org.millicent.wallet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.InMemoryExchangeRecorder;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.vendor.store.DurableSpendRecorder;

/**
 * A vendor for the wallet's tests, built from the core's {@link PurchaseService} and {@link
 * ExchangeService} over the storage module's durable spend recorder, so idempotent retries and
 * "spent" answers are the real ones. Serves {@code GET /pages/*} at a fixed price, {@code GET
 * /free} without charge, {@code GET /broken} with a 502 after checking the payment (nothing
 * charged), and {@code POST /millicent/exchange}; speaks docs/HTTP-API.md. Thread-safe.
 */
public final class TestVendor extends TestServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEALED = "application/millicent-sealed";

  private final String vendor;
  private final long price;
  private final MasterSecrets masters;
  private final CustomerSecrets customers;
  private final Database db;
  private final DurableSpendRecorder recorder;
  private final PurchaseService purchases;
  private final ExchangeService exchanges;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong revenue = new AtomicLong();
  private final AtomicLong sales = new AtomicLong();
  private volatile String brokers = "";
  private volatile String variants = "signed private";

  /** A vendor selling every page at {@code price}, keeping its spent list in {@code dir}. */
  public TestVendor(String vendor, long price, Path dir, InstantSource clock) throws IOException {
    this.vendor = vendor;
    this.price = price;
    this.masters = MasterSecrets.generate(1, random);
    this.customers = CustomerSecrets.generate(2, random);
    this.db = Database.open(DatabaseConfig.sqliteIn(dir, vendor + ".db"));
    this.recorder = DurableSpendRecorder.open(db, DurableSpendRecorder.Mode.EMBEDDED, clock);
    this.purchases =
        new PurchaseService(
            vendor,
            masters,
            customers,
            recorder,
            new InMemorySerialAllocator(),
            clock,
            Duration.ofDays(1),
            EnumSet.of(Variant.SIGNED, Variant.PRIVATE));
    this.exchanges =
        new ExchangeService(purchases, new InMemoryExchangeRecorder(), Duration.ofDays(1));
  }

  /** The vendor id. */
  public String vendor() {
    return vendor;
  }

  /** The core service, for a test broker to mint this vendor's scrip as a licensee would. */
  public PurchaseService purchases() {
    return purchases;
  }

  /** The customer master secrets, for a test broker to derive customer secrets. */
  public CustomerSecrets customers() {
    return customers;
  }

  /** Names the brokers in offers. */
  public void setBrokers(URI... urls) {
    StringBuilder sb = new StringBuilder();
    for (URI u : urls) {
      sb.append(sb.isEmpty() ? "" : " ").append(u);
    }
    brokers = sb.toString();
  }

  /** Sets the variants offered, e.g. {@code "private"}. */
  public void setVariants(String v) {
    variants = v;
  }

  /** Prices charged so far. */
  public long revenue() {
    return revenue.get();
  }

  /** Purchases charged so far. */
  public long sales() {
    return sales.get();
  }

  @Override
  Answer handle(HttpExchange ex, byte[] body) throws IOException {
    String method = ex.getRequestMethod();
    String target =
        ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + ex.getRequestURI().getRawQuery());
    String path = ex.getRequestURI().getPath();
    if (path.equals("/.well-known/millicent")) {
      return json(200, "{\"vendor\":\"" + vendor + "\",\"exchange\":\"/millicent/exchange\"}");
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return offer();
    }
    Payment payment;
    try {
      payment =
          PaymentHeader.parse(auth, RequestDescriptor.of(addressed(ex), method, target, body));
    } catch (PaymentException e) {
      return refusal(e);
    }
    try {
      if (path.equals("/millicent/exchange") && method.equals("POST")) {
        return exchange(payment, ex, body);
      }
      if (path.startsWith("/pages/") || path.equals("/broken")) {
        return sell(payment, path, ex);
      }
      return problem(404, "not-found", "no resource at " + path);
    } catch (PaymentException e) {
      return refusal(e);
    }
  }

  @SuppressWarnings("UnusedVariable") // every route takes the exchange
  private Answer sell(Payment payment, String path, HttpExchange ex) {
    Purchase p = purchases.begin(payment, Pricer.fixed(price));
    if (path.equals("/broken")) {
      p.release();
      return problem(502, "origin-failed", "the origin did not answer");
    }
    p.commit();
    if (!p.isReplay()) {
      revenue.addAndGet(p.priceMillicents());
      sales.incrementAndGet();
    }
    byte[] page =
        ("page " + path.substring(path.lastIndexOf('/') + 1)).getBytes(StandardCharsets.UTF_8);
    return receipt(p, payment, page, "text/plain");
  }

  private Answer receipt(Purchase p, Payment payment, byte[] body, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    String receipt = p.receipt(200, body, random).format();
    byte[] sent = body;
    if (payment instanceof Payment.Private) {
      sent = p.sealResponse(200, body, random);
      headers.put("Content-Type", SEALED);
      headers.put("Millicent-Content-Type", contentType);
    } else {
      headers.put("Content-Type", contentType);
    }
    headers.put("Millicent-Receipt", receipt);
    return new Answer(200, headers, sent);
  }

  @SuppressWarnings("UnusedVariable") // every route takes the exchange
  private Answer exchange(Payment payment, HttpExchange ex, byte[] body) throws IOException {
    JsonNode n = JSON.readTree(body);
    List<byte[]> inputs = new ArrayList<>();
    for (JsonNode t : n.withArray("scrip")) {
      inputs.add(Base64.getUrlDecoder().decode(t.asText()));
    }
    ExchangeService.Operation op =
        switch (n.path("operation").asText()) {
          case "renew" -> new ExchangeService.Renew();
          case "merge" -> new ExchangeService.Merge();
          default -> throw new IllegalArgumentException("operation " + n.path("operation"));
        };
    Exchange e = exchanges.exchange(payment, inputs, op);
    StringBuilder sb = new StringBuilder("{\"scrip\":[");
    for (Scrip s : e.outputs()) {
      sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ",")
          .append('"')
          .append(s.token())
          .append('"');
    }
    byte[] out = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    return new Answer(
        200,
        Map.of(
            "Content-Type",
            "application/json",
            "Millicent-Receipt",
            e.receipt(200, out, random).format()),
        out);
  }

  private Answer offer() {
    Answer a = problem(402, "payment-required", "this page costs " + price + " millicents");
    Map<String, String> h = new LinkedHashMap<>(a.headers());
    h.put(
        "WWW-Authenticate",
        "Millicent v=2, vendor="
            + vendor
            + ", price="
            + price
            + ", currency=USD, variants=\""
            + variants
            + "\", brokers=\""
            + brokers
            + "\"");
    h.put("Cache-Control", "no-store");
    return new Answer(402, h, a.body());
  }

  private Answer refusal(PaymentException e) {
    int status = e.code().code().equals("malformed") ? 400 : 402;
    Answer a = problem(status, e.code().code(), e.getMessage());
    if (status == 402) {
      Map<String, String> h = new LinkedHashMap<>(a.headers());
      h.putAll(offer().headers());
      h.put("Content-Type", "application/problem+json");
      return new Answer(402, h, a.body());
    }
    return a;
  }

  @Override
  public void close() {
    super.close();
    recorder.close();
    db.close();
  }
}
