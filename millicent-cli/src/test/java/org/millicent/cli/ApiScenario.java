package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.millicent.broker.BrokerConfig;
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
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.VendorConfig;

/**
 * A vendor (in front of an origin), a second vendor (a folder) and a broker selling both, started
 * for a test, and a scripted day of requests at every endpoint of docs/HTTP-API.md: what {@code
 * HttpApiExamplesIT} compares with the page's examples and {@code OpenApiIT} with
 * docs/openapi/*.yaml. Every request sent through it is recorded with its answer ({@link
 * #traffic()}).
 */
final class ApiScenario implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static final String BROKER_TOKEN = LicensedMarket.BROKER_TOKEN;
  private static final String WALTER_TOKEN = "bob-token-at-walter-0123456789";
  static final String SETTLEMENT_TOKEN = LicensedMarket.SETTLEMENT_TOKEN;

  private final Path dir;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final List<Exchange> traffic = new CopyOnWriteArrayList<>();
  private LicensedMarket market;
  private final AtomicInteger originRequests = new AtomicInteger();
  private final List<String> originSawAuthorization = new CopyOnWriteArrayList<>();
  VendorServer venetia;
  VendorServer walter;
  BrokerServer broker;

  /** A scenario whose servers keep their data under {@code dir}. */
  ApiScenario(Path dir) {
    this.dir = dir;
  }

  @Override
  public void close() {
    if (market != null) {
      market.close();
    }
  }

  /** A real answer: status, headers, body. */
  record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /**
   * One request sent to a server (its body, empty when none) and its answer; {@code server} is
   * "vendor" or "broker".
   */
  record Exchange(String server, String method, String target, byte[] body, Answer answer) {}

  /** Records a request sent other than through {@link #send}. */
  void record(Exchange e) {
    traffic.add(e);
  }

  /** Every request sent so far, in order. */
  List<Exchange> traffic() {
    return List.copyOf(traffic);
  }

  /** How many requests the origin behind the vendor received. */
  int originRequests() {
    return originRequests.get();
  }

  /** The Authorization values the origin received (none, if the vendor strips them). */
  List<String> originSawAuthorization() {
    return List.copyOf(originSawAuthorization);
  }

  /** What the scenario observed for one marker key: a request body it sent, or an answer. */
  sealed interface Observed {}

  record SentBody(JsonNode body) implements Observed {}

  record Got(Answer answer) implements Observed {}

  // ------------------------------------------------------------ the servers

  /**
   * Starts the servers and sends the scripted requests; answers what was sent and answered under
   * the keys of HTTP-API.md's example markers.
   */
  Map<String, Observed> exercise() throws Exception {
    startServers();
    Map<String, Observed> o = new LinkedHashMap<>();
    URI v = venetia.url();
    URI b = broker.url();

    o.put(
        "vendor GET /.well-known/millicent response 200",
        got(send("GET", v, "/.well-known/millicent")));
    o.put(
        "broker GET /.well-known/millicent response 200",
        got(send("GET", b, "/.well-known/millicent")));
    o.put("vendor GET /health response 200", got(send("GET", v, "/health")));
    o.put("broker GET /health response 200", got(send("GET", b, "/health")));
    o.put("vendor GET /pages/{page} response 402", got(send("GET", v, "/pages/1")));
    o.put("vendor GET /nothing response 404", got(send("GET", v, "/nothing/here")));

    // An account at the broker.
    JsonNode registration = body("name", "alice");
    Answer reg = send("POST", b, "/broker/accounts", Map.of(), bytes(registration));
    o.put("broker POST /broker/accounts request", new SentBody(registration));
    o.put("broker POST /broker/accounts response 200", got(reg));
    long alice = Long.parseUnsignedLong(reg.json().get("customer_id").asText());
    CustomerSecret aliceSecret =
        CustomerSecret.of(
            Base64.getUrlDecoder().decode(reg.json().get("customer_secret").asText()));
    Account account = new Account(alice, aliceSecret);
    String accountPath = "/broker/accounts/" + Long.toUnsignedString(alice);

    JsonNode topup = body("amount_millicents", 500_000L);
    o.put("broker POST /broker/accounts/{id}/topup request", new SentBody(topup));
    o.put(
        "broker POST /broker/accounts/{id}/topup response 200",
        got(send("POST", b, accountPath + "/topup", admin(broker.adminToken()), bytes(topup))));

    // Vendor scrip on account, opened with the account secret.
    JsonNode buy = JSON.createObjectNode().put("vendor", "venetia").put("amount_millicents", 5000);
    o.put("broker POST /broker/vendor-scrip request", new SentBody(buy));
    Answer sale = accountRequest(account, "POST", "/broker/vendor-scrip", bytes(buy));
    o.put("broker POST /broker/vendor-scrip response 200", got(sale));
    Scrip scrip = ScripCodec.fromToken(sale.json().get("scrip").asText());
    long atVenetia = Long.parseUnsignedLong(sale.json().get("customer_id").asText());
    CustomerSecret venetiaSecret =
        Payer.openSecret(
            aliceSecret,
            "venetia",
            atVenetia,
            Base64.getUrlDecoder().decode(sale.json().get("sealed_customer_secret").asText()));
    o.put(
        "broker POST /broker/vendor-scrip response 402",
        got(send("POST", b, "/broker/vendor-scrip", Map.of(), bytes(buy))));
    JsonNode tooMuch =
        JSON.createObjectNode().put("vendor", "venetia").put("amount_millicents", 900_000_000L);
    o.put(
        "broker POST /broker/vendor-scrip response 402 credit-limit",
        got(accountRequest(account, "POST", "/broker/vendor-scrip", bytes(tooMuch))));

    // A paid GET, its identical re-send, the recovery of what became of it.
    Paid page = pay(scrip, venetiaSecret, v, "GET", "/pages/1", new byte[0]);
    assertThat(page.answer().status()).as(page.answer()::text).isEqualTo(200);
    Scrip change = ScripCodec.fromToken(receipt(page.answer()).get("change"));
    JsonNode recover =
        JSON.createObjectNode().put("fingerprint", B64.encodeToString(page.payment().mac()));
    o.put("vendor POST /millicent/recover request", new SentBody(recover));
    Paid recovered = pay(scrip, venetiaSecret, v, "POST", "/millicent/recover", bytes(recover));
    o.put("vendor POST /millicent/recover response 200", got(recovered.answer()));
    o.put(
        "vendor GET /pages/{page} response 402 spent",
        got(pay(scrip, venetiaSecret, v, "GET", "/pages/2", new byte[0]).answer()));

    // A paid POST to the origin, sent twice: the second is a replay.
    Paid order = pay(change, venetiaSecret, v, "POST", "/orders", bytes(body("item", 7L)));
    assertThat(order.answer().status()).as(order.answer()::text).isEqualTo(200);
    o.put("vendor POST /orders response 409", got(resend(order, v, "POST", "/orders")));
    Scrip change2 = ScripCodec.fromToken(receipt(order.answer()).get("change"));

    // Exchange at the vendor: split the change.
    long half = change2.valueMillicents() / 2;
    ObjectNode split = JSON.createObjectNode().put("operation", "split");
    split.withArray("scrip").add(change2.token());
    split.withArray("amounts_millicents").add(half).add(change2.valueMillicents() - half);
    o.put("vendor POST /millicent/exchange request", new SentBody(split));
    Paid exchanged = pay(change2, venetiaSecret, v, "POST", "/millicent/exchange", bytes(split));
    o.put("vendor POST /millicent/exchange response 200", got(exchanged.answer()));
    JsonNode pieces = exchanged.answer().json().get("scrip");
    claims(
        account,
        venetiaSecret,
        ScripCodec.fromToken(pieces.get(0).asText()),
        ScripCodec.fromToken(pieces.get(1).asText()));

    // The account's view and statement.
    o.put(
        "broker GET /broker/accounts/{id} response 200",
        got(accountRequest(account, "GET", accountPath, new byte[0])));
    o.put(
        "broker GET /broker/accounts/{id}/statement response 200",
        got(accountRequest(account, "GET", accountPath + "/statement", new byte[0])));

    // Broker scrip, spent on vendor scrip, its change exchanged at the broker.
    JsonNode brokerScrip = body("amount_millicents", 20_000L);
    o.put("broker POST /broker/scrip request", new SentBody(brokerScrip));
    Answer bs = accountRequest(account, "POST", "/broker/scrip", bytes(brokerScrip));
    o.put("broker POST /broker/scrip response 200", got(bs));
    Scrip bobScrip = ScripCodec.fromToken(bs.json().get("scrip").asText());
    JsonNode buyWalter =
        JSON.createObjectNode().put("vendor", "walter").put("amount_millicents", 2000);
    Paid paidSale = pay(bobScrip, aliceSecret, b, "POST", "/broker/vendor-scrip", bytes(buyWalter));
    o.put("broker POST /broker/vendor-scrip response 200 paid", got(paidSale.answer()));
    Scrip bobChange = ScripCodec.fromToken(receipt(paidSale.answer()).get("change"));
    ObjectNode renew = JSON.createObjectNode().put("operation", "renew");
    renew.withArray("scrip").add(bobChange.token());
    o.put(
        "broker POST /millicent/exchange response 200",
        got(pay(bobChange, aliceSecret, b, "POST", "/millicent/exchange", bytes(renew)).answer()));

    // The vendor's broker-facing endpoints.
    Map<String, String> bobAtVenetia = bearer(BROKER_TOKEN);
    o.put(
        "vendor GET /millicent/broker/account response 200",
        got(send("GET", v, "/millicent/broker/account", bobAtVenetia, null)));
    JsonNode lot = JSON.createObjectNode().put("count", 2).put("value_millicents", 1000);
    o.put("vendor POST /millicent/broker/warehouse request", new SentBody(lot));
    Answer lotAnswer = send("POST", v, "/millicent/broker/warehouse", bobAtVenetia, bytes(lot));
    o.put("vendor POST /millicent/broker/warehouse response 200", got(lotAnswer));
    ObjectNode reassign = JSON.createObjectNode().put("customer_ref", "alice");
    reassign.withArray("scrip").add(lotAnswer.json().get("scrip").get(0).asText());
    o.put("vendor POST /millicent/broker/exchange request", new SentBody(reassign));
    o.put(
        "vendor POST /millicent/broker/exchange response 200",
        got(send("POST", v, "/millicent/broker/exchange", bobAtVenetia, bytes(reassign))));
    Answer received = send("GET", v, "/millicent/broker/received", bobAtVenetia, null);
    o.put("vendor GET /millicent/broker/received response 200", got(received));

    // Settlement by the vendor's push, and the broker's pull.
    ObjectNode settle = JSON.createObjectNode().put("vendor", "venetia");
    settle.withArray("scrip_ids").add(received.json().get("ids").get(0).get("scrip_id").asText());
    settle.withArray("scrip_ids").add("12345");
    o.put("broker POST /broker/settlements request", new SentBody(settle));
    o.put(
        "broker POST /broker/settlements response 200",
        got(send("POST", b, "/broker/settlements", bearer(SETTLEMENT_TOKEN), bytes(settle))));
    JsonNode settled = body("upto", received.json().get("upto").asLong());
    o.put("vendor POST /millicent/broker/received/settled request", new SentBody(settled));
    o.put(
        "vendor POST /millicent/broker/received/settled response 200",
        got(send("POST", v, "/millicent/broker/received/settled", bobAtVenetia, bytes(settled))));
    Map<String, String> brokerAdmin = admin(broker.adminToken());
    o.put(
        "broker POST /broker/admin/settlements/{vendor} response 200",
        got(send("POST", b, "/broker/admin/settlements/venetia", brokerAdmin, null)));

    // Licences at the vendor, and their import at the broker.
    Map<String, String> vendorAdmin = admin(venetia.adminToken());
    JsonNode issue =
        JSON.createObjectNode().put("broker", "bob").put("key_ids", 1).put("discount_bps", 500);
    o.put("vendor POST /millicent/admin/licences request", new SentBody(issue));
    Answer licence = send("POST", v, "/millicent/admin/licences", vendorAdmin, bytes(issue));
    o.put("vendor POST /millicent/admin/licences response 200", got(licence));
    o.put(
        "vendor GET /millicent/admin/licences response 200",
        got(send("GET", v, "/millicent/admin/licences", vendorAdmin, null)));
    o.put(
        "broker POST /broker/admin/licences response 200",
        got(send("POST", b, "/broker/admin/licences", brokerAdmin, licence.body())));
    Answer another = send("POST", v, "/millicent/admin/licences", vendorAdmin, bytes(issue));
    o.put(
        "vendor DELETE /millicent/admin/licences/{licence_id} response 200",
        got(
            send(
                "DELETE",
                v,
                "/millicent/admin/licences/" + another.json().get("licence_id").asText(),
                vendorAdmin,
                null)));

    // The broker's other admin endpoints.
    o.put(
        "broker GET /broker/admin/vendors response 200",
        got(send("GET", b, "/broker/admin/vendors", brokerAdmin, null)));
    o.put(
        "broker GET /broker/admin/licences response 200",
        got(send("GET", b, "/broker/admin/licences", brokerAdmin, null)));
    o.put(
        "broker GET /broker/admin/statements/customers/{id} response 200",
        got(
            send(
                "GET",
                b,
                "/broker/admin/statements/customers/" + Long.toUnsignedString(alice),
                brokerAdmin,
                null)));
    o.put(
        "broker GET /broker/admin/statements/vendors/{vendor} response 200",
        got(send("GET", b, "/broker/admin/statements/vendors/venetia", brokerAdmin, null)));
    o.put(
        "broker POST /broker/admin/statements/close response 200",
        got(send("POST", b, "/broker/admin/statements/close", brokerAdmin, null)));
    o.put(
        "broker GET /broker/admin/books response 200",
        got(send("GET", b, "/broker/admin/books", brokerAdmin, null)));
    // The dashboard page and what it loads (a person's, not an example for programs).
    got(send("GET", b, "/broker/admin/dashboard", brokerAdmin, null));
    for (String asset : List.of("uplot.js", "uplot.css", "dashboard.js", "dashboard.css")) {
      got(send("GET", b, "/broker/dashboard-assets/" + asset));
    }
    got(send("GET", v, "/millicent/admin/dashboard", vendorAdmin, null));
    for (String asset : List.of("uplot.js", "uplot.css", "dashboard.js", "dashboard.css")) {
      got(send("GET", v, "/millicent/dashboard-assets/" + asset));
    }

    // Master secrets at the vendor, last: retiring key 0 ends its scrip.
    o.put(
        "vendor GET /millicent/admin/keys response 200",
        got(send("GET", v, "/millicent/admin/keys", vendorAdmin, null)));
    o.put(
        "vendor POST /millicent/admin/keys/rotate response 200",
        got(send("POST", v, "/millicent/admin/keys/rotate", vendorAdmin, null)));
    JsonNode force = JSON.createObjectNode().put("force", true);
    o.put("vendor POST /millicent/admin/keys/{id}/retire request", new SentBody(force));
    o.put(
        "vendor POST /millicent/admin/keys/{id}/retire response 200",
        got(send("POST", v, "/millicent/admin/keys/0/retire", vendorAdmin, bytes(force))));
    return o;
  }

  /**
   * The rules HTTP-API.md states in prose, at the real servers: leading zeros, Content-Type, which
   * 402s carry an offer, the codes of refused exchanges, private bodies and licences.
   */
  private void claims(Account account, CustomerSecret venetiaSecret, Scrip piece, Scrip other)
      throws Exception {
    URI v = venetia.url();
    URI b = broker.url();
    String id = Long.toUnsignedString(account.id());
    // Leading zeros in customer IDs are read as the number.
    Account padded = new Account(account.id(), account.secret());
    assertThat(
            accountRequest(padded, "GET", "/broker/accounts/000" + id, new byte[0], "00" + id)
                .status())
        .as("leading zeros in the path and the header")
        .isEqualTo(200);
    // The request Content-Type is not looked at.
    Answer plain =
        accountRequestTyped(
            account, "POST", "/broker/scrip", bytes(body("amount_millicents", 10L)), "text/plain");
    assertThat(plain.status()).as(plain::text).isEqualTo(200);
    // Which 402s carry an offer.
    Answer vendorExchange = send("POST", v, "/millicent/exchange", Map.of(), bytes(body("x", 1L)));
    assertThat(vendorExchange.status()).isEqualTo(402);
    assertThat(vendorExchange.header("WWW-Authenticate")).contains("price=0");
    Answer brokerExchange = send("POST", b, "/millicent/exchange", Map.of(), bytes(body("x", 1L)));
    assertThat(brokerExchange.status()).isEqualTo(402);
    assertThat(brokerExchange.header("WWW-Authenticate")).isNull();
    assertThat(send("POST", v, "/millicent/recover", Map.of(), bytes(body("x", 1L))).status())
        .isEqualTo(401);
    // Another customer's account.
    Answer eveReg = send("POST", b, "/broker/accounts", Map.of(), bytes(body("name", "eve")));
    Account eve =
        new Account(
            Long.parseUnsignedLong(eveReg.json().get("customer_id").asText()),
            CustomerSecret.of(
                Base64.getUrlDecoder().decode(eveReg.json().get("customer_secret").asText())));
    Answer foreign = accountRequest(eve, "GET", "/broker/accounts/" + id, new byte[0]);
    assertThat(foreign.status()).isEqualTo(401);
    assertThat(foreign.json().get("code").asText()).isEqualTo("unauthorized");
    // A licence for a broker the vendor's configuration does not list.
    Answer stranger =
        send(
            "POST",
            v,
            "/millicent/admin/licences",
            admin(venetia.adminToken()),
            bytes(body("broker", "mallory")));
    assertThat(stranger.status()).isEqualTo(404);
    assertThat(stranger.json().get("code").asText()).isEqualTo("not-found");
    // Refused exchanges.
    ObjectNode badSplit = JSON.createObjectNode().put("operation", "split");
    badSplit.withArray("scrip").add(piece.token());
    badSplit.withArray("amounts_millicents").add(1).add(1);
    assertCode(
        pay(piece, venetiaSecret, v, "POST", "/millicent/exchange", bytes(badSplit)),
        400,
        "malformed");
    ObjectNode secondPays = JSON.createObjectNode().put("operation", "merge");
    secondPays.withArray("scrip").add(piece.token()).add(other.token());
    assertCode(
        pay(other, venetiaSecret, v, "POST", "/millicent/exchange", bytes(secondPays)),
        400,
        "malformed");
    JsonNode buy = JSON.createObjectNode().put("vendor", "venetia").put("amount_millicents", 1000);
    Answer eveSale = accountRequest(eve, "POST", "/broker/vendor-scrip", bytes(buy));
    ObjectNode across = JSON.createObjectNode().put("operation", "merge");
    across.withArray("scrip").add(piece.token()).add(eveSale.json().get("scrip").asText());
    assertCode(
        pay(piece, venetiaSecret, v, "POST", "/millicent/exchange", bytes(across)),
        402,
        "wrong-customer");
    // A private body that does not open: refused, the scrip not consumed.
    byte[] order = bytes(body("item", 7L));
    Payment.Private sealed =
        Payer.sealed(
            piece,
            venetiaSecret,
            Nonce.random(RANDOM),
            RequestDescriptor.of(Authority.of(v), "POST", "/orders", order),
            RANDOM);
    Answer unopened =
        send("POST", v, "/orders", Map.of("Authorization", PaymentHeader.format(sealed)), order);
    assertCode(new Paid(null, null, order, unopened), 400, "malformed");
    assertThat(unopened.header("Millicent-Receipt")).isNull();
    assertThat(pay(piece, venetiaSecret, v, "GET", "/pages/3", new byte[0]).answer().status())
        .as("the scrip of a refused private payment is still good")
        .isEqualTo(200);
  }

  private static void assertCode(Paid p, int status, String code) {
    assertThat(p.answer().status()).as(p.answer()::text).isEqualTo(status);
    assertThat(p.answer().json().get("code").asText()).isEqualTo(code);
  }

  private static Got got(Answer a) {
    assertThat(a.header("Content-Type")).as(a::text).isNotNull();
    return new Got(a);
  }

  /** Starts the origin, the two vendors and the broker ({@link #exercise} does it first). */
  void startServers() throws IOException {
    market = new LicensedMarket(dir);
    market.origin(
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            originRequests.incrementAndGet();
            if (ex.getRequestHeaders().containsKey("Authorization")) {
              originSawAuthorization.add(ex.getRequestHeaders().getFirst("Authorization"));
            }
            byte[] out = "{\"order\":\"taken\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          }
        });
    venetia =
        market.venetia(
            b ->
                b.free("/free/**")
                    .price("GET", "/pages/*", 100)
                    .price("POST", "/orders", 250)
                    .priceRule(new PriceRule("country", Map.of("DE", 1900L), 0)));
    Path site = dir.resolve("site");
    Files.createDirectories(site.resolve("pages"));
    Files.writeString(site.resolve("pages/a.html"), "<p>a</p>");
    walter =
        market.closing(
            VendorServer.start(
                VendorConfig.builder("walter")
                    .port(0)
                    .staticFolder(site)
                    .price("GET", "/pages/**", 100)
                    .broker(
                        new org.millicent.vendor.config.BrokerConfig(
                            "bob", market.brokerUrl(), WALTER_TOKEN, 6, 300))
                    .build(),
                dir.resolve("walter")));
    broker =
        market.broker(
            c ->
                c.withAccounts(BrokerConfig.AGGREGATING, 1_000_000)
                    .withVendor(
                        org.millicent.broker.VendorConfig.warehouse(
                            "walter", walter.url(), WALTER_TOKEN, null, 300, 10, 1000)));
  }

  // ---------------------------------------------------------------- requests

  record Account(long id, CustomerSecret secret) {}

  record Paid(Payment.Signed payment, String authorization, byte[] body, Answer answer) {}

  Answer send(String method, URI base, String target) throws Exception {
    return send(method, base, target, Map.of(), null);
  }

  Answer send(String method, URI base, String target, Map<String, String> headers, byte[] body)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(target))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null && !headers.containsKey("Content-Type")) {
      r.header("Content-Type", "application/json");
    }
    headers.forEach(r::header);
    HttpResponse<byte[]> a = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    Answer answer = new Answer(a.statusCode(), a.headers(), a.body());
    traffic.add(
        new Exchange(serverAt(base), method, target, body == null ? new byte[0] : body, answer));
    return answer;
  }

  /** An account request (HTTP-API.md, "Account requests"). */
  Answer accountRequest(Account a, String method, String target, byte[] body) throws Exception {
    return accountRequest(a, method, target, body, Long.toUnsignedString(a.id()), null);
  }

  Answer accountRequest(Account a, String method, String target, byte[] body, String customerParam)
      throws Exception {
    return accountRequest(a, method, target, body, customerParam, null);
  }

  private Answer accountRequestTyped(
      Account a, String method, String target, byte[] body, String contentType) throws Exception {
    return accountRequest(a, method, target, body, Long.toUnsignedString(a.id()), contentType);
  }

  Answer accountRequest(
      Account a,
      String method,
      String target,
      byte[] body,
      String customerParam,
      String contentType)
      throws Exception {
    Nonce n = Nonce.random(RANDOM);
    RequestDescriptor d = RequestDescriptor.of(Authority.of(broker.url()), method, target, body);
    // Signed as the wallet signs it; the customer parameter then spelled as the test asks.
    Map<String, String> p =
        new LinkedHashMap<>(AuthParams.parse(AccountRequest.sign(a.id(), a.secret(), n, d)));
    p.put("customer", customerParam);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", AuthParams.format(p));
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return send(method, broker.url(), target, headers, body.length == 0 ? null : body);
  }

  /** A signed payment of {@code scrip} for the request. */
  Paid pay(Scrip scrip, CustomerSecret secret, URI base, String method, String target, byte[] body)
      throws Exception {
    Payment.Signed p =
        Payer.signed(
            scrip,
            secret,
            Nonce.random(RANDOM),
            RequestDescriptor.of(Authority.of(base), method, target, body));
    String auth = PaymentHeader.format(p);
    Answer a =
        send(method, base, target, Map.of("Authorization", auth), body.length == 0 ? null : body);
    return new Paid(p, auth, body, a);
  }

  private Answer resend(Paid p, URI base, String method, String target) throws Exception {
    return send(
        method,
        base,
        target,
        Map.of("Authorization", p.authorization()),
        p.body().length == 0 ? null : p.body());
  }

  static Map<String, String> receipt(Answer a) {
    String r = a.header("Millicent-Receipt");
    assertThat(r).as(a::text).isNotNull();
    return AuthParams.parse(r);
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  static Map<String, String> admin(String token) {
    return bearer(token);
  }

  static JsonNode body(String field, String value) {
    return JSON.createObjectNode().put(field, value);
  }

  static JsonNode body(String field, long value) {
    return JSON.createObjectNode().put(field, value);
  }

  static byte[] bytes(JsonNode n) throws IOException {
    return JSON.writeValueAsBytes(n);
  }

  /** Which server listens at {@code base}. */
  private String serverAt(URI base) {
    return broker != null && base.equals(broker.url()) ? "broker" : "vendor";
  }
}
