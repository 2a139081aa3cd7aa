package org.millicent.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.vendor.testing.OwnCustomer.funded;
import static org.millicent.vendor.testing.TestHttp.receipt;
import static org.millicent.vendor.testing.TestHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.servlet.testing.ShopScenarios;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.testing.OwnCustomer.Funded;
import org.millicent.vendor.testing.TestHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.WebApplicationContext;

/**
 * {@link ShopApplication} with the starter, in embedded Tomcat on a real port: the {@link
 * ShopScenarios} every filter setup passes, and what the starter adds ({@code @Priced} prices and
 * the manifest that lists them, the controller's {@code VerifiedPayment}, a paid {@code PUT} form,
 * Actuator health and metrics). Written once against the APIs Spring Boot 3.5 and 4.0 share; a
 * subclass names the Boot line and Servlet API it must run on (StarterIT: Boot 4, here;
 * Boot3StarterIT in millicent-spring-boot3-it: Boot 3), so a class path that drifted to the other
 * line fails instead of testing it twice.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
public abstract class StarterScenarios extends ShopScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = tempDir();
  private static final BrokerLicence BOB = BrokerLicence.of("bob", "venetia");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry p) {
    p.add("server.address", () -> "127.0.0.1");
    p.add("server.max-http-request-header-size", () -> "32KB");
    p.add("millicent.vendor.name", () -> "venetia");
    p.add("millicent.vendor.data-dir", () -> DIR.resolve("venetia").toString());
    p.add("millicent.vendor.admin-token", BOB::adminToken);
    p.add("millicent.vendor.prices[0].path", () -> "/pattern/**");
    p.add("millicent.vendor.prices[0].price", () -> "70");
    p.add("millicent.vendor.brokers[0].id", () -> "bob");
    p.add("millicent.vendor.brokers[0].url", () -> BOB.brokerUrl().toString());
    p.add("millicent.vendor.brokers[0].token", BOB::brokerToken);
    p.add("millicent.vendor.brokers[0].customer-id", () -> BOB.vendorSide().customerId());
    p.add("millicent.vendor.brokers[0].discount-bps", () -> BrokerLicence.DISCOUNT_BPS);
    p.add("management.endpoints.web.exposure.include", () -> "health,metrics");
    p.add("management.endpoint.health.show-details", () -> "always");
  }

  @LocalServerPort int port;
  @Autowired MillicentGateway millicent;
  @Autowired MeterRegistry meters;
  @Autowired WebApplicationContext context;

  private BrokerServer bob;
  private TestHttp http;

  /** The Spring Boot line the test must run on, as a version prefix ({@code "4.0."}). */
  protected abstract String bootLine();

  /** The Servlet API version the embedded container must implement ({@code "6.1"}). */
  protected abstract String servletApi();

  @BeforeAll
  void startBroker() {
    http = new TestHttp(URI.create("http://127.0.0.1:" + port));
    bob = BOB.startBroker(http.base(), DIR.resolve("bob"));
  }

  @AfterAll
  void stopBroker() {
    if (bob != null) {
      bob.close();
    }
  }

  @Override
  protected Shop shop() {
    return new Shop(http, millicent, bob, ShopApplication::runs, DIR.resolve("alice"));
  }

  @Test
  void runsOnTheSpringBootLine_andServletApi_itIsMeantToTest() {
    var servlet = context.getServletContext();

    assertThat(SpringBootVersion.getVersion()).startsWith(bootLine());
    assertThat(servlet).isNotNull();
    assertThat(servlet.getMajorVersion() + "." + servlet.getMinorVersion()).isEqualTo(servletApi());
  }

  @Test
  void prices_comeFromTheMethod_theClass_orThePathPatterns_andTheRestIsFree() {
    assertThat(offer(http.send("GET", "/cheap", new byte[0]))).isEqualTo("50");
    assertThat(offer(http.send("GET", "/premium/report", new byte[0]))).isEqualTo("200");
    assertThat(offer(http.send("GET", "/pattern/x", new byte[0]))).isEqualTo("70");
    HttpResponse<byte[]> teaser = http.send("GET", "/premium/teaser", new byte[0]);
    HttpResponse<byte[]> free = http.send("GET", "/free", new byte[0]);
    HttpResponse<byte[]> missing = http.send("GET", "/nothing-here", new byte[0]);

    assertThat(teaser.statusCode()).isEqualTo(200);
    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(text(free)).isEqualTo("free, paid nothing");
    assertThat(free.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void aHead_ofAPricedGet_getsTheOffer_andRunsNoHandler() {
    // Spring MVC dispatches a HEAD to the GET handler: priced as that GET, never served free.
    HttpResponse<byte[]> annotated = http.send("HEAD", "/articles/head", new byte[0]);
    HttpResponse<byte[]> pattern = http.send("HEAD", "/pattern/head", new byte[0]);
    HttpResponse<byte[]> paid =
        http.send(
            "HEAD",
            "/articles/head",
            new byte[0],
            "Authorization",
            PaymentHeader.format(http.signed(funded(millicent, 1_000), "GET", "/articles/head")));

    assertThat(annotated.statusCode()).isEqualTo(402);
    assertThat(annotated.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(pattern.statusCode()).isEqualTo(402);
    assertThat(paid.statusCode()).isEqualTo(405);
    assertThat(ShopApplication.runs("/articles/head")).isZero();
    assertThat(ShopApplication.runs("/pattern/head")).isZero();
  }

  @Test
  void aControllerPricedAsAWhole_andAPathPattern_seeWhatWasPaid() {
    HttpResponse<byte[]> report =
        http.pay(http.signed(funded(millicent, 1_000), "GET", "/premium/report"));
    HttpResponse<byte[]> pattern =
        http.pay(http.signed(funded(millicent, 1_000), "GET", "/pattern/p"));

    assertThat(text(report)).startsWith("/premium/report paid 200 by ");
    assertThat(text(pattern)).startsWith("/pattern/p paid 70 by ");
    assertThat(receipt(pattern)).containsEntry("price", "70");
  }

  @Test
  void aPaidPutForm_isVerifiedOverItsBody_andTheControllerStillReadsItsParameters() {
    Funded alice = funded(millicent, 1_000);
    byte[] form = "item=book&note=a+b".getBytes(StandardCharsets.UTF_8);
    Payment payment = http.signed(alice, "PUT", "/form", form);
    Funded carol = funded(millicent, 1_000);
    Payment forOtherBody =
        http.signed(carol, "PUT", "/form", "item=pen".getBytes(StandardCharsets.UTF_8));

    HttpResponse<byte[]> paid = putForm(payment, form);
    HttpResponse<byte[]> swapped = putForm(forOtherBody, form);

    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(text(paid)).startsWith("/form item=book paid 100 by ");
    assertThat(receipt(paid)).containsEntry("price", "100");
    assertThat(swapped.statusCode()).as(text(swapped)).isNotEqualTo(200);
    assertThat(ShopApplication.runs("/form")).isEqualTo(1);
  }

  @Test
  void theManifest_listsThePricedHandlers_beforeTheConfiguredPaths() throws Exception {
    HttpResponse<byte[]> r = http.send("GET", "/.well-known/millicent", new byte[0]);

    List<String> resources = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).path("resources")) {
      resources.add(
          n.path("method").asText()
              + " "
              + n.path("path").asText()
              + " "
              + n.path("price_millicents").asLong());
    }
    assertThat(resources)
        .contains(
            "GET /articles/* 100",
            "GET /cheap 50",
            "PUT /form 100",
            "GET /premium/report 200",
            "GET /premium/teaser 0",
            "GET /pattern/** 70");
    assertThat(resources.indexOf("GET /articles/* 100"))
        .isLessThan(resources.indexOf("GET /pattern/** 70"));
    assertThat(resources).noneMatch(e -> e.contains("/free "));
  }

  @Test
  void actuatorHealth_showsTheMillicentComponent() throws Exception {
    HttpResponse<byte[]> r = http.send("GET", "/actuator/health", new byte[0]);

    JsonNode millicentHealth = JSON.readTree(r.body()).path("components").path("millicent");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(millicentHealth.path("status").asText()).isEqualTo("UP");
    assertThat(millicentHealth.path("details").path("vendor").asText()).isEqualTo("venetia");
    assertThat(millicentHealth.path("details").path("database").asText()).isEqualTo("up");
    assertThat(millicentHealth.path("details").path("keys").asInt()).isPositive();
    assertThat(millicentHealth.path("details").path("brokers").path("bob").asText())
        .isEqualTo("licensed");
  }

  @Test
  void aPurchase_countsInTheApplicationsMeterRegistry() {
    double payments = count("millicent.vendor.payments");
    double revenue = count("millicent.vendor.revenue.millicents");

    HttpResponse<byte[]> paid =
        http.pay(http.signed(funded(millicent, 1_000), "GET", "/articles/counted"));

    assertThat(paid.statusCode()).isEqualTo(200);
    assertThat(count("millicent.vendor.payments")).isEqualTo(payments + 1);
    assertThat(count("millicent.vendor.revenue.millicents")).isEqualTo(revenue + 100);
  }

  // --- helpers ---

  private HttpResponse<byte[]> putForm(Payment payment, byte[] form) {
    return http.send(
        "PUT",
        "/form",
        form,
        "Authorization",
        PaymentHeader.format(payment),
        "Content-Type",
        "application/x-www-form-urlencoded");
  }

  private double count(String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static String offer(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).isEqualTo(402);
    return AuthParams.parse(r.headers().firstValue("WWW-Authenticate").orElseThrow()).get("price");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("millicent-starter-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
