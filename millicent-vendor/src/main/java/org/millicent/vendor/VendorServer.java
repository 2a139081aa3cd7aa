package org.millicent.vendor;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.function.IntFunction;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.millicent.http.OpenApiDocument;
import org.millicent.http.ProblemErrorHandler;
import org.millicent.http.SlowClientGuard;
import org.millicent.protocol.PublicOrigins;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running vendor gateway: the public Java API to start one in-process (docs/HTTP-API.md, "Vendor
 * gateway"), as {@code millicent vendor serve}, the demo, the benchmark and the broker and wallet
 * tests do. It is a {@link MillicentGateway} mounted in a Jetty server of its own; to mount the
 * gateway in an app of yours instead, see docs/EMBEDDING.md.
 *
 * <pre>{@code
 * try (VendorServer vendor = VendorServer.start(VendorConfig.sampleBuilder().port(0).build(), dir)) {
 *   URI base = vendor.url();                         // http://127.0.0.1:<port>
 *   ... pay GET base + "/pages/haiku.html" with scrip bought from a broker (or, in-process,
 *       minted by OwnCustomers.of(vendor)) ...
 * }
 * }</pre>
 *
 * <p>State lives in the database of the configuration ({@code vendor.db} in {@code dataDir} by
 * default, or PostgreSQL): master and customer secrets are generated at the first start and
 * persisted, the spent list is durable (group commit), serials are never reissued. The admin bearer
 * token is the configured one or is generated into {@code dataDir/admin-token}.
 *
 * <p>Thread-safe. {@link #close()} stops the HTTP server and closes the database.
 */
public final class VendorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VendorServer.class);

  /** Name of the SQLite file in the data folder. */
  public static final String DATABASE_FILE = "vendor.db";

  /** Name of the generated admin token file in the data folder. */
  public static final String ADMIN_TOKEN_FILE = "admin-token";

  private final MillicentGateway gateway;
  private final VendorState state;
  private final Javalin app;
  private final SlowClientGuard slowClients;
  private final URI url;

  /**
   * Starts the HTTP server while the gateway opens its database, since both take a few hundred
   * milliseconds on a cold JVM; returns only once both are ready.
   */
  private VendorServer(MillicentGateway gateway, long began) {
    this.gateway = gateway;
    VendorConfig config = gateway.config();
    Javalin started = null;
    SlowClientGuard guard = null;
    try {
      started = Javalin.create(cfg -> configure(cfg, config, gateway));
      started.start();
      guard = SlowClientGuard.start(started.jettyServer().server(), config.httpTimeouts());
      long httpUp = System.nanoTime();
      this.state = gateway.awaitState();
      LOG.info(
          "vendor {}: HTTP up in {} ms, database ready in {} ms (JVM up {} ms)",
          config.vendor(),
          (httpUp - began) / 1_000_000,
          (System.nanoTime() - began) / 1_000_000,
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    } catch (RuntimeException e) {
      if (guard != null) {
        guard.close();
      }
      if (started != null) {
        started.stop();
      }
      gateway.close();
      throw e;
    }
    this.app = started;
    this.slowClients = guard;
    String scheme = config.tls() != null ? "https" : "http";
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if ("0.0.0.0".equals(config.host()) || "::".equals(config.host())) {
      host = "127.0.0.1";
    }
    this.url = URI.create(scheme + "://" + host + ":" + app.port());
    LOG.info("vendor {} serving at {}", config.vendor(), url);
  }

  private static void configure(
      io.javalin.config.JavalinConfig cfg, VendorConfig config, MillicentGateway gateway) {
    cfg.concurrency.useVirtualThreads = true;
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.http.compressionStrategy = CompressionStrategy.NONE;
    cfg.http.generateEtags = false;
    cfg.jetty.host = config.host();
    cfg.jetty.port = config.port();
    // Jetty caches request header fields per connection and clears the cache when it is full;
    // every paid request carries a unique Authorization of ~200-300 characters, which made each
    // one clear and refill the cache (about a third of the server's time per paid request). The
    // cache saves little for the few short headers of API clients, so it is off.
    cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
    ProblemErrorHandler.install(cfg);
    TlsConfig tls = config.tls();
    if (tls != null) {
      cfg.jetty.addConnector((server, http) -> tlsConnector(server, http, config, tls));
    }
    gateway.installAsServer(cfg);
  }

  /**
   * The vendor's public origins by the local port a request arrived on: {@code public_urls} when
   * configured, else loopback at that port, and the listening address when it is a specific one.
   */
  static IntFunction<PublicOrigins> publicOrigins(VendorConfig config) {
    if (!config.publicUrls().isEmpty()) {
      PublicOrigins configured = PublicOrigins.parse(config.publicUrls());
      return port -> configured;
    }
    String scheme = config.tls() != null ? "https" : "http";
    return port -> PublicOrigins.defaults(scheme, config.host(), port);
  }

  /**
   * Starts a vendor gateway and returns once it is serving.
   *
   * @param config the validated configuration (its port may be 0 for a free one)
   * @param dataDir where the SQLite database and the admin token live (created if missing)
   * @throws org.millicent.storage.StorageException when the database cannot be opened
   * @throws java.io.UncheckedIOException when the data folder cannot be created
   * @throws IllegalStateException when another vendor runs on {@code dataDir}
   * @throws io.javalin.util.JavalinException when the port cannot be bound
   */
  public static VendorServer start(VendorConfig config, Path dataDir) {
    return start(config, dataDir, InstantSource.system());
  }

  /**
   * As {@link #start(VendorConfig, Path)}, with the clock that decides scrip expiry, the sweep of
   * expired spends, licence and sale times (tests move one by hand; the server never reads the
   * system clock for these).
   */
  public static VendorServer start(VendorConfig config, Path dataDir, InstantSource clock) {
    long began = System.nanoTime();
    return new VendorServer(new MillicentGateway(config, dataDir, null, clock), began);
  }

  /**
   * As {@link #start(VendorConfig, Path)}, then joins the broker of {@code join} (docs/BROKER.md,
   * "Vendors that join"): the broker is named in offers and sells this vendor's scrip under a
   * licence once this returns.
   *
   * @throws IllegalStateException also when the broker cannot be reached in time or refuses the
   *     join (nothing is left running)
   */
  public static VendorServer start(VendorConfig config, Path dataDir, BrokerJoin join) {
    MillicentGateway gateway = new MillicentGateway(config, dataDir, join, InstantSource.system());
    // After waiting for a broker to join: it is not start-up time.
    VendorServer server = new VendorServer(gateway, System.nanoTime());
    try {
      join.register(server.config(), server.state.licences, server.url);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static ServerConnector tlsConnector(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      VendorConfig config,
      TlsConfig tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keystore().toString());
    ssl.setKeyStorePassword(tls.password());
    http.addCustomizer(new SecureRequestCustomizer());
    ServerConnector c =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    c.setHost(config.host());
    c.setPort(config.port());
    return c;
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080} (no trailing slash). */
  public URI url() {
    return url;
  }

  /** Every HTTP route this gateway answers, as "METHOD /path" (Javalin's path syntax). */
  public List<String> routes() {
    return OpenApiDocument.routes(app);
  }

  /** The vendor id. */
  public String vendor() {
    return gateway.config().vendor();
  }

  /** The configuration the server runs with. */
  public VendorConfig config() {
    return gateway.config();
  }

  /** The admin bearer token (configured, or generated into the data folder); never log it. */
  public String adminToken() {
    return gateway.adminToken();
  }

  /** Stops serving, closes the database and releases the data folder. Idempotent. */
  @Override
  public void close() {
    try {
      slowClients.close();
      app.stop();
    } finally {
      gateway.close();
    }
  }

  /** The live state, for tests in this package and {@link OwnCustomers}. */
  VendorState state() {
    return state;
  }

  @Override
  public String toString() {
    return "VendorServer[" + vendor() + " " + url + "]";
  }
}
