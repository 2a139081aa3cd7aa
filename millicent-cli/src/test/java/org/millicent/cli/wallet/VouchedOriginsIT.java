package org.millicent.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.cli.CliRun;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.proxy.WalletProxy;

/**
 * Issue 12, part 3, with the real servers on loopback: a real vendor Venetia, a real broker Bob
 * licensed to mint her scrip, and an impostor that answers 402 as "venetia" naming Bob. Through
 * every way the wallet pays (the CLI's {@code wallet get}, the Java client, the paying proxy), the
 * impostor gets no {@code Authorization} and Bob sells nothing; Venetia's name keeps pointing at
 * Venetia, so renewals go to her. And the happy paths: an origin Bob's manifest vouches for, and
 * one the user vouches for with {@code wallet vendors add}.
 */
class VouchedOriginsIT {
  private static final String PAGE = "/pages/haiku.html";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private VendorServer venetia;
  private BrokerServer bob;
  private HttpServer impostor;
  private final ExecutorService impostorThreads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<String> impostorRequests = new CopyOnWriteArrayList<>();
  private final List<String> impostorAuthorizations = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (impostor != null) {
      impostor.stop(0);
    }
    impostorThreads.close();
    if (bob != null) {
      bob.close();
    }
    if (venetia != null) {
      venetia.close();
    }
  }

  /** Starts Venetia and Bob; Bob's manifest lists {@code publicUrls} (none: Venetia's URL). */
  private void startMarket(List<URI> publicUrls) throws IOException {
    BrokerLicence licence = BrokerLicence.of("bob", "venetia");
    venetia =
        VendorServer.start(
            licence.vendor(VendorConfig.sampleBuilder()).host("127.0.0.1").port(0).build(),
            dir.resolve("venetia"));
    bob =
        licence.startBroker(
            venetia.url(), vendor -> vendor.withPublicUrls(publicUrls), dir.resolve("bob"));
    startImpostor(bob.url());
  }

  /** The 30-line server of the reproduction: 402 as venetia, naming Bob; 403 forged if paid. */
  private void startImpostor(URI broker) throws IOException {
    impostor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    impostor.setExecutor(impostorThreads);
    impostor.createContext(
        "/",
        ex -> {
          try (ex) {
            impostorRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            List<String> auth = ex.getRequestHeaders().get("Authorization");
            byte[] body;
            if (auth != null) {
              impostorAuthorizations.addAll(auth);
              body = "{\"code\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(403, body.length);
            } else {
              ex.getResponseHeaders()
                  .add(
                      "WWW-Authenticate",
                      "Millicent v=2, vendor=venetia, price=100, currency=USD,"
                          + " variants=\"signed private\", brokers=\""
                          + broker
                          + "\"");
              ex.getResponseHeaders().add("Cache-Control", "no-store");
              body = "{\"code\":\"payment-required\"}".getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(402, body.length);
            }
            ex.getResponseBody().write(body);
          }
        });
    impostor.start();
  }

  private URI impostorUrl(String path) {
    return URI.create("http://127.0.0.1:" + impostor.getAddress().getPort() + path);
  }

  private Path walletDir() {
    return dir.resolve("alice");
  }

  private CliRun cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--wallet";
    all[args.length + 1] = walletDir().toString();
    return CliRun.of(all);
  }

  private Wallet openWallet() {
    return Wallet.open(WalletOptions.defaults(walletDir()));
  }

  /** What Bob has charged Alice's account this period: every sale of scrip to her. */
  private long bobCharged() throws InterruptedException {
    try (Wallet w = openWallet()) {
      return w.brokerAccount(bob.url()).path("charges_this_period_millicents").asLong();
    }
  }

  @Test
  void cliGet_ofAnImpostor_buysNothing_sendsNothing_andRenewalsStillGoToVenetia() throws Exception {
    startMarket(List.of());
    assertThat(cli("wallet", "register", "--broker", bob.url().toString()).exitCode()).isZero();

    CliRun refused = cli("wallet", "get", impostorUrl(PAGE).toString());

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
    assertThat(refused.err())
        .contains("unvouched-origin")
        .contains(Request.origin(venetia.url()))
        .contains("nothing was bought or sent");
    assertThat(impostorAuthorizations).isEmpty();
    assertThat(bobCharged()).isZero();

    CliRun paid = cli("wallet", "get", venetia.url() + PAGE);
    assertThat(paid.exitCode()).as(paid.err()).isZero();
    long charged = bobCharged();
    assertThat(charged).isPositive();

    CliRun refusedAgain = cli("wallet", "get", impostorUrl(PAGE).toString());
    CliRun renewed = cli("wallet", "renew", "--all");

    assertThat(refusedAgain.exitCode()).isEqualTo(1);
    assertThat(refusedAgain.err()).contains("unvouched-origin");
    assertThat(renewed.exitCode()).as(renewed.out() + renewed.err()).isZero();
    assertThat(renewed.out()).contains("renewed");
    assertThat(impostorAuthorizations).isEmpty();
    assertThat(impostorRequests).containsOnly("GET " + PAGE);
    assertThat(bobCharged()).isEqualTo(charged);
    CliRun listed = cli("wallet", "vendors", "list");
    assertThat(listed.out())
        .contains(Request.origin(venetia.url()))
        .doesNotContain(Request.origin(impostorUrl("/")));
  }

  @Test
  void javaClient_ofAnImpostor_isRefusedAsUnvouched_andBobSellsNothing() throws Exception {
    startMarket(List.of());
    try (Wallet w = openWallet()) {
      w.register(bob.url(), "alice");

      assertThatThrownBy(() -> w.httpClient().send(Request.get(impostorUrl(PAGE))))
          .isInstanceOfSatisfying(
              WalletException.class,
              e -> assertThat(e.code()).isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN));
      assertThat(impostorAuthorizations).isEmpty();
      assertThat(w.history(10)).isEmpty();

      assertThat(w.httpClient().send(Request.get(venetia.url().resolve(PAGE))).status())
          .isEqualTo(200);
      assertThatThrownBy(() -> w.httpClient().send(Request.get(impostorUrl(PAGE))))
          .isInstanceOf(WalletException.class);
      assertThat(impostorAuthorizations).isEmpty();
      assertThat(w.history(10)).extracting(e -> e.kind()).containsExactly("buy", "purchase");
    }
  }

  @Test
  void payingProxy_toAnImpostor_answers402UnvouchedOrigin_andSendsNothing() throws Exception {
    startMarket(List.of());
    try (Wallet w = openWallet()) {
      w.register(bob.url(), "alice");
      try (WalletProxy proxy =
          WalletProxy.start(
              w,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              List.of(),
              line -> {})) {
        HttpClient viaProxy =
            HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .build();

        HttpResponse<String> refused =
            viaProxy.send(
                HttpRequest.newBuilder(impostorUrl(PAGE)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> paid =
            viaProxy.send(
                HttpRequest.newBuilder(venetia.url().resolve(PAGE)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(JSON.readTree(refused.body()).path("code").asText())
            .isEqualTo("unvouched-origin");
        assertThat(impostorAuthorizations).isEmpty();
        assertThat(paid.statusCode()).isEqualTo(200);
      }
      assertThat(w.history(10)).extracting(e -> e.kind()).containsExactly("buy", "purchase");
    }
  }

  @Test
  void originTheBrokerDoesNotList_isPaidOnlyAfterTheUserVouchesForIt() throws Exception {
    startMarket(List.of(URI.create("https://venetia.example")));
    assertThat(cli("wallet", "register", "--broker", bob.url().toString()).exitCode()).isZero();
    String page = venetia.url() + PAGE;

    CliRun refused = cli("wallet", "get", page);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("unvouched-origin")
        .contains("https://venetia.example:443")
        .contains("millicent wallet vendors add venetia " + Request.origin(venetia.url()));
    assertThat(bobCharged()).isZero();

    CliRun vouched = cli("wallet", "vendors", "add", "venetia", venetia.url().toString());
    CliRun paid = cli("wallet", "get", page);

    assertThat(vouched.exitCode()).as(vouched.err()).isZero();
    assertThat(paid.exitCode()).as(paid.err()).isZero();
    assertThat(paid.out()).isNotBlank();
    assertThat(bobCharged()).isPositive();
    assertThat(cli("wallet", "vendors", "list").out())
        .contains("https://venetia.example:443", "vouched by " + bob.url())
        .contains(Request.origin(venetia.url()), "vouched by you");
  }
}
