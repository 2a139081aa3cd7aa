package org.millicent.wallet.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.millicent.wallet.VouchedOrigin;
import org.millicent.wallet.Wallet;
import org.slf4j.LoggerFactory;

/**
 * The wallet as a browser's companion (docs/WALLET.md, "The proxy"): an HTTP forward proxy on
 * loopback that pays for what it fetches, over plain HTTP and, for vendors, over HTTPS, with the
 * wallet's own page at its address.
 *
 * <p>Built from Jetty's parts: a {@code ConnectHandler} that tunnels {@code CONNECT} untouched
 * unless the host is a vendor's ({@link InterceptPolicy}), in which case the tunnel is joined to a
 * second, TLS listener on loopback that shows a certificate minted by the wallet's {@link LocalCa};
 * requests read there, and plain {@code http://} requests to vendors, go through the wallet's
 * paying client ({@link PaidForward}); other plain requests go through Jetty's {@code
 * ProxyHandler}, which streams. Thread-safe.
 */
public final class WalletProxy implements AutoCloseable {
  /**
   * Hosts never to intercept, one a line ({@code #} starts a comment), beside {@code wallet.db}:
   * their tunnels pass untouched even when they are vendors'.
   */
  public static final String NEVER_INTERCEPT_FILE = "proxy-never-intercept.txt";

  private final Server server;
  private final ServerConnector proxyConnector;
  private final LocalCa ca;
  private final String token;

  private WalletProxy(Server server, ServerConnector proxyConnector, LocalCa ca, String token) {
    this.server = server;
    this.proxyConnector = proxyConnector;
    this.ca = ca;
    this.token = token;
  }

  /**
   * Starts a proxy for {@code wallet} on {@code address} (port 0 picks a free one); makes the
   * wallet's CA first if it has none.
   *
   * @param neverIntercept hosts whose tunnels are never opened, vendor or not, besides those in
   *     {@value #NEVER_INTERCEPT_FILE}
   * @param journal receives one line per request handled, for a console
   * @throws Exception when Jetty cannot start (the address is taken, ...)
   */
  public static WalletProxy start(
      Wallet wallet,
      InetSocketAddress address,
      Collection<String> neverIntercept,
      Consumer<String> journal)
      throws Exception {
    LocalCa ca = LocalCa.openOrCreate(wallet.options().dir());
    List<String> never = new ArrayList<>(neverIntercept);
    Path neverFile = wallet.options().dir().resolve(NEVER_INTERCEPT_FILE);
    if (Files.exists(neverFile)) {
      for (String line : Files.readAllLines(neverFile)) {
        String host = line.replaceFirst("#.*", "").strip();
        if (!host.isEmpty()) {
          never.add(host);
        }
      }
    }
    TunnelTargets tunnels = new TunnelTargets();
    InterceptPolicy policy =
        new InterceptPolicy(
            () -> wallet.vouchedOrigins().stream().map(VouchedOrigin::origin).toList(), never);
    ProxyActivity activity = new ProxyActivity(wallet.options().clock(), journal);
    PaidForward paid =
        new PaidForward(
            wallet.httpClientBuilder().build(),
            // HTTP/2 to an HTTPS origin that offers it (ALPN), HTTP/1.1 otherwise; plain HTTP
            // stays HTTP/1.1 (no h2c upgrade attempts at vendors).
            wallet
                .httpClientBuilder()
                .httpClient(
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build())
                .build(),
            new PrivateCache(wallet.options().clock()),
            activity);
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("millicent-proxy");
    Server server = new Server(threads);
    ServerConnector proxyConnector = new ServerConnector(server);
    proxyConnector.setHost(address.getAddress().getHostAddress());
    proxyConnector.setPort(address.getPort());
    ServerConnector tls = tlsConnector(server, ca, tunnels);
    server.addConnector(proxyConnector);
    server.addConnector(tls);

    WalletPage page = new WalletPage(wallet, ca, activity, token, proxyConnector::getLocalPort);
    ProxyRouter router =
        new ProxyRouter(
            new StreamingForward(policy, paid),
            tunnels,
            policy,
            paid,
            page,
            tls::getLocalPort,
            proxyConnector::getLocalPort);
    InterceptingConnectHandler connect =
        new InterceptingConnectHandler(
            policy, tunnels, tls::getLocalPort, proxyConnector::getLocalPort, activity::log);
    connect.setHandler(router);
    server.setHandler(connect);
    server.start();
    return new WalletProxy(server, proxyConnector, ca, token);
  }

  private static ServerConnector tlsConnector(Server server, LocalCa ca, TunnelTargets tunnels)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new MintingKeyManager(ca, tunnels)}, null, null);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(context);
    ssl.setSniRequired(false);
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
    secure.setSniRequired(false);
    http.addCustomizer(secure);
    ServerConnector tls =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    tls.setHost("127.0.0.1");
    tls.setPort(0);
    tls.addEventListener(
        new Connection.Listener() {
          @Override
          public void onClosed(Connection connection) {
            if (connection.getEndPoint().getRemoteSocketAddress()
                instanceof InetSocketAddress peer) {
              tunnels.closed(peer.getPort());
            }
          }
        });
    return tls;
  }

  /** The port the proxy listens on. */
  public int port() {
    return proxyConnector.getLocalPort();
  }

  /** The proxy's URL, for {@code curl -x} or a browser's proxy setting. */
  public URI url() {
    String host = proxyConnector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /** The wallet page's URL, with this start's token; whoever has it can change the budget. */
  public URI pageUrl() {
    return URI.create(url() + "/?token=" + token);
  }

  /** The wallet's certificate authority. */
  public LocalCa ca() {
    return ca;
  }

  /** Stops accepting and closes open connections. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LoggerFactory.getLogger(WalletProxy.class).warn("stopping the proxy: {}", e.toString());
    }
  }
}
