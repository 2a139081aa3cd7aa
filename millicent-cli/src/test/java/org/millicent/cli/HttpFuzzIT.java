package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerServer;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.LogCapture;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;

/**
 * Seeded HTTP fuzzing of the real servers on loopback (issue 12, part 5): a static-folder vendor, a
 * reverse-proxy vendor in front of a loopback origin, and a broker licensed by the proxy vendor,
 * all in this JVM so their log is captured. Tens of thousands of requests over raw sockets: mutated
 * methods, targets, headers, Authorization values (forged payments and account requests among
 * them), bodies and chunked framing, and byte-level mutations of whole requests. Asserts that no
 * answer is a 5xx, that every 4xx is a problem document with a code (issue 13), that no forged
 * payment, account request or token is answered 2xx, and that nothing is logged at ERROR or with a
 * stack trace.
 *
 * <p>The seed is printed; replay a run with {@code -Dmillicent.fuzz.seed=<seed>} (each worker's
 * sequence of requests is a function of the seed; their interleaving is not). {@code
 * -Dmillicent.fuzz.requests=<n>} changes the count.
 */
class HttpFuzzIT {
  private static final long SEED =
      Long.getLong("millicent.fuzz.seed", new SecureRandom().nextLong());
  private static final int REQUESTS = Integer.getInteger("millicent.fuzz.requests", 20_000);
  private static final int WORKERS = 4;

  /** A safety stop, not a timing assertion: a slow machine runs fewer requests, and says so. */
  private static final Duration BUDGET = Duration.ofSeconds(35);

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private LicensedMarket market;
  private VendorServer staticVendor;
  private VendorServer proxyVendor;
  private BrokerServer broker;

  @AfterEach
  void stop() {
    if (market != null) {
      market.close();
    }
  }

  /** One server under test and what is priced or protected there. */
  private record Target(String name, URI base, Kind kind) {
    String host() {
      return base.getHost() + ":" + base.getPort();
    }
  }

  private enum Kind {
    STATIC_VENDOR,
    PROXY_VENDOR,
    BROKER
  }

  /** A customer of a vendor: an ID and its secret there. */
  private record Customer(VendorServer vendor, long id, CustomerSecret secret) {}

  /** A broker account. */
  private record Account(long id, CustomerSecret secret) {}

  /** One request: its bytes, whether its framing is broken, whether a 2xx would be a forgery. */
  private record Case(Target target, String label, byte[] bytes, boolean broken, boolean forged) {}

  @Test
  void malformedAndForgedRequests_getNo5xx_noAcceptedForgery_noErrorLog() throws Exception {
    System.out.println("HttpFuzzIT seed " + SEED + " (replay: -Dmillicent.fuzz.seed=" + SEED + ")");
    startServers();
    Account account = register();
    Customer atStatic = customer(staticVendor);
    Customer atProxy = customer(proxyVendor);
    List<Target> targets =
        List.of(
            new Target("static-vendor", staticVendor.url(), Kind.STATIC_VENDOR),
            new Target("proxy-vendor", proxyVendor.url(), Kind.PROXY_VENDOR),
            new Target("broker", broker.url(), Kind.BROKER));

    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicLong forgeries = new AtomicLong();
    Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    List<String> errors;
    try (LogCapture log = LogCapture.open();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        Generator g =
            new Generator(
                new Random(SEED + w * 0x9E3779B97F4A7C15L),
                account,
                atStatic,
                atProxy,
                broker.adminToken());
        workers.add(
            pool.submit(
                () -> {
                  Connections conns = new Connections();
                  try {
                    while (sent.get() < REQUESTS && System.nanoTime() < deadline) {
                      sent.incrementAndGet();
                      Case c = g.next(targets);
                      if (c.forged()) {
                        forgeries.incrementAndGet();
                      }
                      int status = conns.exchange(c, failures);
                      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                  } finally {
                    conns.closeAll();
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
      // Answers are written before a handler's last log line; let stragglers land.
      Thread.sleep(300);
      errors = log.errorsOrStackTraces();
    }
    System.out.println(
        "HttpFuzzIT seed "
            + SEED
            + ": "
            + sent.get()
            + " requests ("
            + forgeries.get()
            + " forged), statuses "
            + new java.util.TreeMap<>(statuses));
    assertThat(failures).as("seed %d: 5xx, accepted forgeries or hangs", SEED).isEmpty();
    assertThat(errors).as("seed %d: ERROR or stack-trace log lines", SEED).isEmpty();
    assertThat(sent.get()).as("seed %d: requests sent", SEED).isGreaterThan(1_000);
    assertThat(statuses.keySet()).as("the fuzz reached paid and refused paths").contains(200, 402);
  }

  // ------------------------------------------------------------------ set-up

  private void startServers() throws IOException {
    market = new LicensedMarket(dir);
    market.origin(
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            byte[] out = ("origin: " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          }
        });

    Path site = dir.resolve("site");
    Files.createDirectories(site.resolve("pages"));
    Files.createDirectories(site.resolve("public"));
    Files.writeString(site.resolve("pages/a.html"), "<p>priced a</p>");
    Files.writeString(site.resolve("pages/b.html"), "<p>priced b</p>");
    Files.writeString(site.resolve("public/index.html"), "<p>free</p>");
    staticVendor =
        market.closing(
            VendorServer.start(
                VendorConfig.builder("vivian")
                    .port(0)
                    .staticFolder(site)
                    .free("/public/**")
                    .price("GET", "/pages/**", 100)
                    .build(),
                dir.resolve("static-vendor")));
    proxyVendor = market.venetia(b -> b.free("/free/**").price("*", "/**", 250));
    broker = market.broker(c -> c);
  }

  private Account register() throws IOException {
    byte[] body = "{\"name\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8);
    try (RawHttp c = RawHttp.connect(broker.url(), 15_000)) {
      RawHttp.Response r =
          c.send(
                  request(
                      "POST",
                      "/broker/accounts",
                      broker.url().getHost() + ":" + broker.url().getPort(),
                      List.of("Content-Type: application/json", "Connection: close"),
                      body))
              .read();
      assertThat(r.status()).as(r::toString).isEqualTo(200);
      JsonNode j = JSON.readTree(r.body());
      return new Account(
          Long.parseUnsignedLong(j.get("customer_id").asText()),
          CustomerSecret.of(Base64.getUrlDecoder().decode(j.get("customer_secret").asText())));
    }
  }

  private static Customer customer(VendorServer v) {
    long id = OwnCustomers.of(v).newCustomerId();
    return new Customer(v, id, OwnCustomers.of(v).customerSecret(id));
  }

  /** A well-framed request with Content-Length (when there is a body). */
  static byte[] request(
      String method, String target, String host, List<String> headers, byte[] body) {
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host);
    h.append("\r\n");
    for (String x : headers) {
      h.append(x).append("\r\n");
    }
    if (body.length > 0) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    return concat(h.toString().getBytes(StandardCharsets.UTF_8), body);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---------------------------------------------------------------- sending

  /** One keep-alive connection per target for one worker; reopened after a close. */
  private static final class Connections {
    private final Map<String, RawHttp> open = new LinkedHashMap<>();

    /** Sends {@code c}, reads the answer, records a failure; returns the status (-1: closed). */
    int exchange(Case c, ConcurrentLinkedQueue<String> failures) {
      RawHttp conn;
      if (c.forged()) {
        // A fresh connection: no answer left over from an earlier request can be read as its.
        drop(c.target().name());
      }
      try {
        conn = open.get(c.target().name());
        if (conn == null) {
          conn = RawHttp.connect(c.target().base(), 15_000);
          open.put(c.target().name(), conn);
        }
      } catch (IOException e) {
        failures.add(c.target().name() + ": cannot connect: " + e);
        return -2;
      }
      RawHttp.Response r;
      try {
        try {
          conn.send(c.bytes());
          if (c.broken()) {
            conn.shutdownOutput(); // the server reads end of stream where the request breaks off
          }
        } catch (IOException e) {
          // the server closed while we wrote (e.g. it refused the head): read what it said
        }
        r = conn.read(startsWith(c.bytes(), "HEAD "));
      } catch (SocketTimeoutException e) {
        failures.add(describe(c, "no answer within 15 s"));
        r = new RawHttp.Response(-1, "", "");
      } catch (IOException | RuntimeException e) {
        r = new RawHttp.Response(-1, "", "");
      }
      boolean close =
          c.broken()
              || r.status() < 0
              || "close".equalsIgnoreCase(String.valueOf(r.header("Connection")).trim());
      if (close || c.forged()) {
        drop(c.target().name());
      }
      boolean head = startsWith(c.bytes(), "HEAD ");
      if (r.status() >= 500) {
        failures.add(describe(c, "answered " + r.status() + " " + r.body()));
      } else if (r.status() >= 400
          && (!String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")
              || (!head && r.code() == null))) {
        // The origin always answers 200: every refusal is the servers' own, a problem document.
        failures.add(describe(c, "answered " + r.status() + " without a problem document"));
      } else if (c.forged() && r.status() >= 200 && r.status() < 300) {
        failures.add(describe(c, "FORGERY ACCEPTED with " + r.status()));
      }
      return r.status();
    }

    private void drop(String target) {
      RawHttp c = open.remove(target);
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          // already gone
        }
      }
    }

    void closeAll() {
      for (RawHttp c : open.values()) {
        try {
          c.close();
        } catch (IOException e) {
          // already gone
        }
      }
    }
  }

  private static boolean startsWith(byte[] b, String prefix) {
    if (b.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Case c, String what) {
    String text = new String(c.bytes(), StandardCharsets.ISO_8859_1);
    if (text.length() > 400) {
      text = text.substring(0, 400) + "...";
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\r') {
        s.append("\\r");
      } else if (ch == '\n') {
        s.append("\\n");
      } else if (ch < 0x20 || ch > 0x7e) {
        s.append(String.format("\\x%02x", (int) ch));
      } else {
        s.append(ch);
      }
    }
    return c.target().name() + " [" + c.label() + "] " + what + " <- " + s;
  }

  // ------------------------------------------------------------- generating

  /**
   * Builds requests from one seeded {@link Random}: genuine ones (so the paid paths are reached),
   * forged ones (a 2xx is a failure), and malformed ones. Payments are made with the core's {@link
   * Payer}, so they follow the protocol version in force. Not thread-safe (one per worker).
   */
  private static final class Generator {
    private static final String[] METHODS = {
      "GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "get", "FOO", "G\tET", "POST ", "", "CONNECT", "PRI"
    };
    private static final String[] PROBE_PATHS = {
      "/",
      "/.well-known/millicent",
      "/health",
      "/metrics",
      "/millicent/exchange",
      "/millicent/broker/account",
      "/millicent/broker/received",
      "/millicent/broker/warehouse",
      "/millicent/broker/exchange",
      "/millicent/broker/received/settled",
      "/millicent/admin/licences",
      "/millicent/admin/licences/1",
      "/broker/accounts",
      "/broker/accounts/1",
      "/broker/scrip",
      "/broker/vendor-scrip",
      "/broker/settlements",
      "/broker/admin/books",
      "/broker/admin/vendors",
      "/broker/admin/licences",
      "/broker/admin/statements/close",
      "/broker/admin/settlements/venetia",
      "/pages/a.html",
      "/public/index.html",
      "/free/x",
      "/api/x"
    };
    private static final String[] PERIODS = {
      "%2B999999999-12",
      "-999999999-01",
      "2026-01",
      "2026-13",
      "0000-00",
      "9999-12-31",
      "",
      "%00",
      "2026-1",
      "99999999999999999999-01",
      "2026-01-01",
      "%2B10000-01",
      "x"
    };

    /** Characters that make odd but legal-looking targets. */
    private static final String TARGET_CHARS =
        "abcxyz0129-._~!$&'()*+,;=:@/?#%[]\\`|{}^\"<> \t\u00e9";

    private final Random r;
    private final Account account;
    private final Customer atStatic;
    private final Customer atProxy;
    private final String adminToken;

    Generator(Random r, Account account, Customer atStatic, Customer atProxy, String adminToken) {
      this.r = r;
      this.account = account;
      this.atStatic = atStatic;
      this.atProxy = atProxy;
      this.adminToken = adminToken;
    }

    Case next(List<Target> targets) {
      Target t = targets.get(r.nextInt(targets.size()));
      Case c =
          switch (t.kind()) {
            case STATIC_VENDOR -> vendorCase(t, atStatic, atProxy, "/pages/a.html");
            case PROXY_VENDOR -> vendorCase(t, atProxy, atStatic, "/api/item");
            case BROKER -> brokerCase(t);
          };
      if (r.nextInt(8) == 0) {
        return new Case(t, c.label() + "+bytes", mutateBytes(c.bytes()), true, c.forged());
      }
      return c;
    }

    // ---- vendors

    private Case vendorCase(Target t, Customer me, Customer other, String priced) {
      int k = r.nextInt(100);
      if (k < 4) {
        return paid(t, me, "GET", pricedTarget(t, priced), new byte[0], false, "genuine");
      }
      if (k < 26) {
        return forgedPayment(t, me, other, priced);
      }
      if (k < 34) {
        return exchange(t, me);
      }
      if (k < 42) {
        String path = pick(PROBE_PATHS);
        boolean protectedRoute =
            path.startsWith("/millicent/broker/") || path.startsWith("/millicent/admin/");
        String method = pick("GET", "HEAD", "POST", "DELETE");
        String auth = r.nextBoolean() ? "Bearer " + junkToken() : junkAuthorization();
        return frame(
            t,
            "token-route",
            method,
            path,
            List.of("Authorization: " + auth),
            junkBody(),
            protectedRoute);
      }
      return junk(t, priced);
    }

    private String pricedTarget(Target t, String priced) {
      if (t.kind() == Kind.STATIC_VENDOR) {
        return pick("/pages/a.html", "/pages/b.html", "/pages/a.html?x=" + r.nextInt(1000));
      }
      return pick(priced, "/api/other", "/api/item?q=" + r.nextInt(1000), "/x/y/z");
    }

    private Scrip scrip(Customer c, long value) {
      return OwnCustomers.of(c.vendor())
          .mint(
              value,
              c.id(),
              Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    }

    private Nonce nonce() {
      byte[] b = new byte[16];
      r.nextBytes(b);
      return Nonce.of(b);
    }

    /** The request a payment is bound to (one place, as the protocol version may widen it). */
    private static RequestDescriptor bound(Target t, String method, String target, byte[] body) {
      return RequestDescriptor.of(Authority.of(t.base()), method, target, body);
    }

    private String payment(
        Target t, Customer c, Scrip s, String method, String target, byte[] body) {
      Payment.Signed p = Payer.signed(s, c.secret(), nonce(), bound(t, method, target, body));
      return PaymentHeader.format(p);
    }

    private Case paid(
        Target t,
        Customer c,
        String method,
        String target,
        byte[] body,
        boolean forged,
        String label) {
      String auth = payment(t, c, scrip(c, 1_000), method, target, body);
      return frame(t, label, method, target, List.of("Authorization: " + auth), body, forged);
    }

    /** A payment that must not buy anything: altered, moved to another request, or not ours. */
    private Case forgedPayment(Target t, Customer me, Customer other, String priced) {
      String target = pricedTarget(t, priced);
      String method = t.kind() == Kind.STATIC_VENDOR ? "GET" : pick("GET", "POST", "PUT");
      byte[] body = method.equals("GET") ? new byte[0] : junkJson();
      int how = r.nextInt(6);
      String auth;
      String label;
      switch (how) {
        case 0 -> {
          auth = alterParam(payment(t, me, scrip(me, 1_000), method, target, body));
          label = "forged:altered-param";
        }
        case 1 -> {
          auth = payment(t, me, scrip(me, 1_000), method, target + "x", body);
          label = "forged:other-target";
        }
        case 2 -> {
          auth = payment(t, me, scrip(me, 1_000), method, target, concat(body, new byte[] {'!'}));
          label = "forged:other-body";
        }
        case 3 -> {
          auth = payment(t, other, scrip(other, 1_000), method, target, body);
          label = "forged:other-vendor";
        }
        case 4 -> {
          CustomerSecret notHers = OwnCustomers.of(me.vendor()).customerSecret(me.id() + 1);
          auth =
              payment(
                  t,
                  new Customer(me.vendor(), me.id(), notHers),
                  scrip(me, 1_000),
                  method,
                  target,
                  body);
          label = "forged:wrong-customer-secret";
        }
        default -> {
          auth = payment(t, me, scrip(me, 10), method, target, body);
          label = "forged:insufficient";
        }
      }
      return frame(t, label, method, target, List.of("Authorization: " + auth), body, true);
    }

    /** An exchange: genuine, altered, or with a body that is not what it should be. */
    private Case exchange(Target t, Customer me) {
      Scrip s = scrip(me, 1_000);
      byte[] body;
      int k = r.nextInt(4);
      if (k == 0) {
        body =
            ("{\"scrip\":[\""
                    + s.token()
                    + "\"],\"operation\":\""
                    + pick("renew", "merge", "split")
                    + "\",\"amounts_millicents\":["
                    + pick("500,500", "-1,1001", "9223372036854775807,1", "1")
                    + "]}")
                .getBytes(StandardCharsets.UTF_8);
      } else {
        body = junkJson();
      }
      String auth = payment(t, me, s, "POST", "/millicent/exchange", body);
      boolean forged = r.nextBoolean();
      if (forged) {
        auth = alterParam(auth);
      }
      return frame(
          t,
          forged ? "exchange:forged" : "exchange",
          "POST",
          "/millicent/exchange",
          List.of("Authorization: " + auth, "Content-Type: application/json"),
          body,
          forged);
    }

    // ---- broker

    private Case brokerCase(Target t) {
      int k = r.nextInt(100);
      String id = Long.toUnsignedString(account.id());
      if (k < 5) {
        String target = pick("/broker/accounts/" + id, "/broker/accounts/" + id + "/statement");
        return accountRequest(t, "GET", target, new byte[0], false);
      }
      if (k < 7) {
        boolean vendorScrip = r.nextBoolean();
        byte[] body =
            (vendorScrip
                    ? "{\"vendor\":\"venetia\",\"amount_millicents\":100}"
                    : "{\"amount_millicents\":100}")
                .getBytes(StandardCharsets.UTF_8);
        return accountRequest(
            t, "POST", vendorScrip ? "/broker/vendor-scrip" : "/broker/scrip", body, false);
      }
      if (k < 27) {
        String target =
            pick(
                "/broker/accounts/" + id,
                "/broker/accounts/" + id + "/statement?period=" + pick(PERIODS),
                "/broker/scrip",
                "/broker/vendor-scrip");
        String method = target.startsWith("/broker/accounts") ? pick("GET", "HEAD") : "POST";
        byte[] body =
            method.equals("POST")
                ? pick(
                        "{\"vendor\":\"venetia\",\"amount_millicents\":100}",
                        "{\"amount_millicents\":100}")
                    .getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        return accountRequest(t, method, target, body, true);
      }
      if (k < 40) {
        String path =
            pick(
                "/broker/admin/books",
                "/broker/admin/vendors",
                "/broker/admin/licences",
                "/broker/admin/statements/customers/" + id + "?period=" + pick(PERIODS),
                "/broker/admin/statements/vendors/venetia?period=" + pick(PERIODS),
                "/broker/admin/statements/close",
                "/broker/admin/settlements/venetia",
                "/broker/accounts/" + id + "/topup",
                "/broker/settlements");
        String method = pick("GET", "HEAD", "POST");
        String auth = r.nextBoolean() ? "Bearer " + junkToken() : junkAuthorization();
        return frame(
            t, "admin:forged", method, path, List.of("Authorization: " + auth), junkBody(), true);
      }
      if (k < 44) {
        String path =
            pick(
                "/broker/admin/statements/customers/" + id + "?period=" + pick(PERIODS),
                "/broker/admin/statements/vendors/venetia?period=" + pick(PERIODS),
                "/broker/admin/books");
        return frame(
            t,
            "admin",
            pick("GET", "HEAD"),
            path,
            List.of("Authorization: Bearer " + adminToken),
            new byte[0],
            false);
      }
      if (k < 50) {
        byte[] body =
            ("{\"vendor\":\"venetia\",\"scrip_ids\":["
                    + pick("\"1\"", "\"-1\"", "1e99", "\"18446744073709551616\"", "{}")
                    + "]}")
                .getBytes(StandardCharsets.UTF_8);
        boolean right = r.nextBoolean();
        return frame(
            t,
            right ? "settlements" : "settlements:forged",
            "POST",
            "/broker/settlements",
            List.of(
                "Authorization: Bearer " + (right ? LicensedMarket.SETTLEMENT_TOKEN : junkToken())),
            r.nextBoolean() ? body : junkBody(),
            !right);
      }
      if (k < 52) {
        return frame(
            t,
            "register",
            "POST",
            "/broker/accounts",
            List.of("Content-Type: application/json"),
            r.nextBoolean() ? "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8) : junkBody(),
            false);
      }
      return junk(t, "/broker/accounts/" + id);
    }

    /**
     * A request on the account. A forgery is signed over a request other than the one sent (another
     * target, another body) or carries an altered parameter: the bytes sent are the honest ones, so
     * damage to them (the "+bytes" cases) can only add to the forgery, never undo it. (Signing the
     * honest request and sending an altered one was undone by a mutation that broke the {@code
     * Content-Length} header and so dropped the extra body byte.)
     */
    private Case accountRequest(
        Target t, String method, String target, byte[] body, boolean forge) {
      Nonce n = nonce();
      String signedTarget = target;
      byte[] signedBody = body;
      String label = "account";
      int how = forge ? r.nextInt(3) : -1;
      if (how == 1) {
        signedTarget = target.contains("?") ? target + "x" : target + "?x";
        label = "account:other-target";
      } else if (how == 2) {
        signedBody = concat(body, new byte[] {' '});
        label = "account:other-body";
      }
      String auth =
          AccountRequest.sign(
              account.id(), account.secret(), n, bound(t, method, signedTarget, signedBody));
      if (how == 0) {
        auth = alterParam(auth);
        label = "account:altered-param";
      }
      return frame(
          t,
          label,
          method,
          target,
          List.of("Authorization: " + auth, "Content-Type: application/json"),
          body,
          forge);
    }

    // ---- shared pieces

    /**
     * Changes one auth-param value so that it means something else: a bit flipped in the decoded
     * bytes (re-encoded) for base64 values, another number or word otherwise.
     */
    private String alterParam(String header) {
      Map<String, String> p = new LinkedHashMap<>(AuthParams.parse(header));
      List<String> names = new ArrayList<>(p.keySet());
      String name = names.get(r.nextInt(names.size()));
      String v = p.get(name);
      String altered;
      byte[] decoded = null;
      if (v.length() >= 8) {
        try {
          decoded = Base64.getUrlDecoder().decode(v);
        } catch (IllegalArgumentException e) {
          decoded = null;
        }
      }
      if (decoded != null && decoded.length > 0) {
        decoded[r.nextInt(decoded.length)] ^= (byte) (1 << r.nextInt(8));
        altered = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded);
      } else if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
        altered = v.length() > 19 ? v + "0" : Long.toUnsignedString(Long.parseUnsignedLong(v) + 1);
      } else {
        altered = v + "x";
      }
      p.put(name, altered);
      return AuthParams.format(p);
    }

    /** A request of odd shape: any method, target, headers, Authorization, body and framing. */
    private Case junk(Target t, String base) {
      String method = pick(METHODS);
      String target = junkTarget(t, base);
      List<String> headers = new ArrayList<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        headers.add(junkHeader());
      }
      if (r.nextInt(3) == 0) {
        headers.add("Authorization: " + junkAuthorization());
        if (r.nextInt(4) == 0) {
          headers.add("Authorization: " + junkAuthorization());
        }
      }
      return frame(t, "junk", method, target, headers, junkBody(), false);
    }

    @SuppressWarnings("UnusedVariable") // every target builder takes the target
    private String junkTarget(Target t, String base) {
      String chars = TARGET_CHARS;
      StringBuilder s = new StringBuilder(r.nextBoolean() ? base : pick(PROBE_PATHS));
      int k = r.nextInt(10);
      if (k == 0) {
        s.append("/..".repeat(1 + r.nextInt(4)));
      } else if (k == 1) {
        s.append("?").append("a=".repeat(r.nextInt(50)));
      } else if (k == 2) {
        s.append(pick("%zz", "%", "%2", "%00", "%2F", "%c0%af", "%ff", "%u0041"));
      } else if (k == 3) {
        s.setLength(0);
        s.append(pick("*", "http://evil.example/x", "//x", "", "x", "/" + "a".repeat(5000)));
      } else {
        int len = r.nextInt(12);
        for (int i = 0; i < len; i++) {
          s.append(chars.charAt(r.nextInt(chars.length())));
        }
      }
      return s.toString();
    }

    private String junkHeader() {
      return switch (r.nextInt(12)) {
        case 0 -> "X-Junk: " + junkToken();
        case 1 ->
            "Content-Type: "
                + pick("application/json", "text/plain", "", "multipart/form-data; boundary=");
        case 2 -> "Host: " + pick("", "evil.example", "a b", "127.0.0.1:1");
        case 3 -> "Expect: " + pick("100-continue", "nothing");
        case 4 -> "X-Forwarded-For: " + pick("6.6.6.6", "", "::1, 10.0.0.1");
        case 5 -> "Cookie: " + "a=b; ".repeat(r.nextInt(20));
        case 6 -> "X-Long: " + "x".repeat(r.nextInt(10) == 0 ? 20_000 : r.nextInt(2_000));
        case 7 -> "NoColonHeader";
        case 8 -> " folded: continuation";
        case 9 -> "Connection: " + pick("close", "keep-alive", "Upgrade", "TE");
        case 10 -> "Content-Encoding: " + pick("gzip", "br", "identity");
        default ->
            "X-Bytes: "
                + new String(randomBytes(r.nextInt(30)), StandardCharsets.ISO_8859_1)
                    .replace('\r', ' ')
                    .replace('\n', ' ');
      };
    }

    private String junkAuthorization() {
      return switch (r.nextInt(12)) {
        case 0 -> "Millicent";
        case 1 -> "Millicent ";
        case 2 -> "Millicent v=" + PaymentHeader.VERSION;
        case 3 ->
            "Millicent v="
                + PaymentHeader.VERSION
                + ", variant="
                + pick("signed", "clear", "private", "account", "x")
                + ", scrip="
                + junkToken()
                + ", nonce="
                + junkToken()
                + ", mac="
                + junkToken();
        case 4 -> "Millicent v=\"unterminated";
        case 5 -> "Millicent a=1, a=2";
        case 6 -> "Millicent " + "x=y, ".repeat(r.nextInt(500));
        case 7 -> "Bearer";
        case 8 -> "Basic " + junkToken();
        case 9 -> "millicent v=" + PaymentHeader.VERSION + ",variant=signed";
        case 10 ->
            "Millicent v="
                + PaymentHeader.VERSION
                + ", variant=account, customer="
                + pick("-1", "18446744073709551616", "1", "x")
                + ", nonce=AAAA, mac=AAAA";
        default ->
            new String(randomBytes(r.nextInt(40)), StandardCharsets.ISO_8859_1)
                .replace('\r', ' ')
                .replace('\n', ' ');
      };
    }

    private String junkToken() {
      StringBuilder s = new StringBuilder();
      String chars = "ABCxyz019-_=+/.~";
      int len = r.nextInt(60);
      for (int i = 0; i < len; i++) {
        s.append(chars.charAt(r.nextInt(chars.length())));
      }
      return s.toString();
    }

    private byte[] junkJson() {
      String s =
          switch (r.nextInt(12)) {
            case 0 -> "{}";
            case 1 -> "[]";
            case 2 ->
                "{\"scrip\":["
                    + "\"x\",".repeat(r.nextInt(100))
                    + "\"y\"],\"operation\":\"renew\"}";
            case 3 -> "[".repeat(1000 + r.nextInt(1000));
            case 4 ->
                "{\"amount_millicents\":"
                    + pick("1e400", "-1", "0", "9223372036854775808", "\"5\"", "null", "1.5")
                    + ",\"vendor\":\"venetia\"}";
            case 5 ->
                "{\"name\":"
                    + pick("null", "1", "\"\"", "\"" + "n".repeat(r.nextInt(1_000)) + "\"", "[]")
                    + "}";
            case 6 ->
                "{\"scrip\":\"not-a-list\",\"operation\":\"split\",\"amounts_millicents\":[1]}";
            case 7 -> "\"str\"";
            case 8 -> "{\"a\":".repeat(1100) + "1" + "}".repeat(1100);
            case 9 -> "\u0000\u00ff\ufffd";
            case 10 -> "{\"vendor\":\"" + junkToken() + "\",\"scrip_ids\":[\"1\",\"2\"]}";
            default -> "";
          };
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] junkBody() {
      return switch (r.nextInt(6)) {
        case 0 -> new byte[0];
        case 1 -> randomBytes(r.nextInt(300));
        case 2 -> randomBytes(r.nextInt(16_000));
        default -> junkJson();
      };
    }

    /** Frames a request: Content-Length, chunked (sound or broken), or a lying Content-Length. */
    private Case frame(
        Target t,
        String label,
        String method,
        String target,
        List<String> headers,
        byte[] body,
        boolean forged) {
      String host = r.nextInt(20) == 0 ? junkToken() : t.host();
      int k = r.nextInt(10);
      if (k < 6 || (body.length == 0 && k < 8)) {
        return new Case(t, label, request(method, target, host, headers, body), false, forged);
      }
      List<String> h = new ArrayList<>(headers);
      byte[] framed;
      boolean broken;
      String how;
      switch (r.nextInt(8)) {
        case 0, 1 -> {
          h.add("Transfer-Encoding: chunked");
          framed = chunked(body, false);
          broken = false;
          how = "chunked";
        }
        case 2, 3 -> {
          h.add("Transfer-Encoding: chunked");
          framed = chunked(body, true);
          broken = true;
          how = "chunked-broken";
        }
        case 4 -> {
          h.add("Content-Length: " + (body.length + 1 + r.nextInt(1000)));
          framed = body;
          broken = true;
          how = "short-body";
        }
        case 5 -> {
          h.add("Content-Length: " + pick("-1", "abc", "1, 2", "99999999999999999999", "0x10"));
          framed = body;
          broken = true;
          how = "bad-length";
        }
        case 6 -> {
          h.add("Content-Length: " + body.length);
          h.add(
              "Transfer-Encoding: "
                  + pick("chunked", "gzip, chunked", "chunked, chunked", "identity"));
          framed = chunked(body, false);
          broken = true;
          how = "length-and-chunked";
        }
        default -> {
          h.add("Transfer-Encoding: chunked");
          byte[] head = chunkedHead(body);
          framed = head;
          broken = true;
          how = "aborted-upload";
        }
      }
      StringBuilder s = new StringBuilder();
      s.append(method)
          .append(' ')
          .append(target)
          .append(" HTTP/1.1\r\nHost: ")
          .append(host)
          .append("\r\n");
      for (String x : h) {
        s.append(x).append("\r\n");
      }
      s.append("\r\n");
      return new Case(
          t,
          label + "+" + how,
          concat(s.toString().getBytes(StandardCharsets.UTF_8), framed),
          broken,
          forged);
    }

    private byte[] chunked(byte[] body, boolean breakIt) {
      StringBuilder s = new StringBuilder();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int at = 0;
      while (at < body.length) {
        int n = Math.min(body.length - at, 1 + r.nextInt(512));
        String size = Integer.toHexString(n);
        if (r.nextInt(6) == 0) {
          size = size + pick(";ext=1", ";", " ", ";a=\"b\"");
        }
        out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, at, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        at += n;
      }
      s.append("0\r\n");
      if (r.nextInt(5) == 0) {
        s.append("X-Trailer: ").append(junkToken()).append("\r\n");
      }
      s.append("\r\n");
      out.writeBytes(s.toString().getBytes(StandardCharsets.ISO_8859_1));
      byte[] sound = out.toByteArray();
      if (!breakIt) {
        return sound;
      }
      return switch (r.nextInt(5)) {
        case 0 -> concat("zz\r\n".getBytes(StandardCharsets.ISO_8859_1), sound);
        case 1 ->
            java.util.Arrays.copyOf(
                sound, Math.max(0, sound.length - 1 - r.nextInt(Math.max(1, sound.length))));
        case 2 -> concat("ffffffffffffffffff\r\n".getBytes(StandardCharsets.ISO_8859_1), sound);
        case 3 ->
            new String(sound, StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        default -> concat("5\r\nabcdefghij\r\n".getBytes(StandardCharsets.ISO_8859_1), sound);
      };
    }

    /** The start of a chunked upload that announces more than it sends, then stops. */
    private byte[] chunkedHead(byte[] body) {
      int n = Math.min(body.length, 64);
      return concat(
          "400\r\n".getBytes(StandardCharsets.ISO_8859_1), java.util.Arrays.copyOf(body, n));
    }

    /** One to three byte-level changes anywhere in a request. */
    private byte[] mutateBytes(byte[] in) {
      byte[] b = in.clone();
      int ops = 1 + r.nextInt(3);
      for (int i = 0; i < ops && b.length > 0; i++) {
        int at = r.nextInt(b.length);
        switch (r.nextInt(5)) {
          case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
          case 1 -> b[at] = (byte) pick("\r", "\n", "\0", " ", ":", "\u00ff", "\"", "%").charAt(0);
          case 2 ->
              b =
                  concat(
                      java.util.Arrays.copyOf(b, at),
                      java.util.Arrays.copyOfRange(
                          b, Math.min(b.length, at + 1 + r.nextInt(20)), b.length));
          case 3 ->
              b =
                  concat(
                      concat(java.util.Arrays.copyOf(b, at), randomBytes(1 + r.nextInt(8))),
                      java.util.Arrays.copyOfRange(b, at, b.length));
          default -> {
            int end = Math.min(b.length, at + 1 + r.nextInt(40));
            b =
                concat(
                    concat(
                        java.util.Arrays.copyOf(b, end), java.util.Arrays.copyOfRange(b, at, end)),
                    java.util.Arrays.copyOfRange(b, end, b.length));
          }
        }
      }
      return b;
    }

    private byte[] randomBytes(int n) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      return b;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[r.nextInt(options.length)];
    }
  }
}
