package org.millicent.vendor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.millicent.http.OpenApiDocument;
import org.millicent.http.ProblemErrorHandler;
import org.millicent.http.RouteMethods;
import org.millicent.http.SlowClientGuard;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.PublicOrigins;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.Price;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.content.ContentSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running vendor gateway: the public Java API to start one in-process (docs/HTTP-API.md, "Vendor
 * gateway"), as {@code millicent vendor serve}, the demo, the benchmark and the broker and wallet
 * tests do.
 *
 * <pre>{@code
 * try (VendorServer vendor = VendorServer.start(VendorConfig.sampleBuilder().port(0).build(), dir)) {
 *   URI base = vendor.url();                         // http://127.0.0.1:<port>
 *   long alice = vendor.newCustomerId();             // from the vendor's own customer-ID space
 *   CustomerSecret secret = vendor.customerSecret(alice);
 *   Scrip scrip = vendor.mint(5_000, alice, Instant.now().plus(Duration.ofHours(1)));
 *   ... pay GET base + "/pages/haiku.html" with Payer.signed(scrip, secret, nonce, request) ...
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

  private final VendorConfig config;
  private final VendorState state;
  private final ContentSource content;
  private final VendorMetrics metrics;
  private final ScheduledExecutorService sweeper;

  /** Whether the last licence refresh failed (only the sweeper's refresh task touches it). */
  private volatile boolean licenceRefreshFailing;

  private final DataFolderLock lock;
  private final String adminToken;
  private final Javalin app;
  private final SlowClientGuard slowClients;
  private final URI url;

  /**
   * Opens the database (in a second thread) while the HTTP server starts, since both take a few
   * hundred milliseconds on a cold JVM. Offers, free content and the manifest are answered at once;
   * paid requests, exchanges and broker endpoints wait for the database; {@link #start} returns
   * only once both are ready.
   */
  private VendorServer(VendorConfig given, Path dataDir, BrokerJoin brokerJoin) {
    SecureRandom random = new SecureRandom();
    createPrivateFolder(dataDir);
    this.lock = DataFolderLock.acquire(dataDir);
    final VendorConfig config;
    try {
      this.adminToken =
          given.adminToken() != null ? given.adminToken() : adminToken(dataDir, random);
      // A broker joined at start is named in offers like a configured one.
      config = brokerJoin == null ? given : brokerJoin.addTo(given, adminToken);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    this.config = config;
    long began = System.nanoTime(); // after waiting for a broker to join: it is not start-up time
    CompletableFuture<VendorState> opening = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("vendor-open")
        .start(
            () -> {
              try {
                opening.complete(VendorState.open(config, dataDir, random));
              } catch (Throwable t) {
                opening.completeExceptionally(t);
              }
            });
    ContentSource contentSource = null;
    Javalin started = null;
    SlowClientGuard guard = null;
    try {
      contentSource = ContentSource.of(config.content());
      ObjectMapper json = new ObjectMapper();
      this.metrics =
          new VendorMetrics(
              config.vendor(),
              () ->
                  opening.isDone() && !opening.isCompletedExceptionally()
                      ? opening.join().spentListSize()
                      : 0,
              () ->
                  opening.isDone() && !opening.isCompletedExceptionally()
                      ? opening.join().spends.stats()
                      : null);
      Offer offer = new Offer(config);
      ClientFiles client = new ClientFiles();
      Problems problems = new Problems(offer, metrics, new Paywall(config, client.available()));
      byte[] manifest = manifest(json, config);
      Catalogue catalogue = new Catalogue(config);
      boolean forwardHeaders = config.content() instanceof Content.Origin;
      RouteMethods fixedRoutes = new RouteMethods();
      // Offers, free content and the manifest need no database; paid requests wait for it.
      VendorGateway gateway =
          new VendorGateway(
              catalogue,
              contentSource,
              forwardHeaders,
              () -> join(opening),
              problems,
              metrics,
              json,
              random,
              manifest,
              publicOrigins(config),
              fixedRoutes,
              client);
      CompletableFuture<BrokerEndpoints> brokers =
          opening.thenApply(
              st -> new BrokerEndpoints(config, st, adminToken, problems, metrics, json, random));
      started =
          Javalin.create(
              cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.compressionStrategy = CompressionStrategy.NONE;
                cfg.http.generateEtags = false;
                cfg.jetty.host = config.host();
                cfg.jetty.port = config.port();
                // Jetty caches request header fields per connection and clears the cache when it
                // is full; every paid request carries a unique Authorization of ~200-300
                // characters, which made each one clear and refill the cache (about a third of
                // the server's time per paid request). The cache saves little for the few short
                // headers of API clients, so it is off.
                cfg.jetty.modifyHttpConfiguration(
                    http -> {
                      http.setHeaderCacheSize(0);
                      // Refuse every ambiguous target before a route runs; RequestTarget relies
                      // on it (docs/HTTP-API.md, "Request targets").
                      http.setUriCompliance(UriCompliance.RFC3986);
                    });
                ProblemErrorHandler.install(cfg);
                if (config.tls() != null) {
                  cfg.jetty.addConnector((server, http) -> tlsConnector(server, http, config));
                }
                fixedRoutes.get(
                    cfg.routes,
                    "/health",
                    ctx -> {
                      // As the broker's: 503 while payments would get storage-unavailable.
                      String database = "up";
                      try {
                        join(opening).checkStorage();
                      } catch (RuntimeException e) {
                        database = "failed: " + Problems.classify(e).detail();
                      }
                      Map<String, Object> health = new LinkedHashMap<>();
                      health.put("status", "up".equals(database) ? "up" : "down");
                      health.put("vendor", config.vendor());
                      health.put("database", database);
                      ctx.status("up".equals(database) ? 200 : 503)
                          .header("Cache-Control", "no-store")
                          .contentType("application/json")
                          .result(json.writeValueAsBytes(health));
                    });
                fixedRoutes.get(
                    cfg.routes,
                    "/metrics",
                    ctx ->
                        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
                OpenApiDocument.addRoute(
                    fixedRoutes, cfg.routes, VendorServer.class, "openapi/vendor.yaml");
                BrokerEndpoints.addRoutes(fixedRoutes, cfg.routes, brokers::join);
                VendorGateway.addRoutes(fixedRoutes, cfg.routes, () -> gateway);
                cfg.routes.exception(Exception.class, (e, ctx) -> problems.write(ctx, e, -1));
                // Javalin answers its own refusals (no route for the method, a body over its size
                // limit) in text unless told otherwise.
                cfg.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> {
                      if (e instanceof NotFoundResponse) {
                        gateway.notRouted(ctx);
                      } else {
                        problems.write(ctx, e, -1);
                      }
                    });
              });
      started.start();
      guard = SlowClientGuard.start(started.jettyServer().server(), config.httpTimeouts());
      long httpUp = System.nanoTime();
      this.state = join(opening);
      LOG.info(
          "vendor {}: HTTP up in {} ms, database ready in {} ms (JVM up {} ms)",
          config.vendor(),
          (httpUp - began) / 1_000_000,
          (System.nanoTime() - began) / 1_000_000,
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
      this.app = started;
      this.content = contentSource;
      this.slowClients = guard;
    } catch (RuntimeException e) {
      if (guard != null) {
        guard.close();
      }
      if (started != null) {
        started.stop();
      }
      if (contentSource != null) {
        contentSource.close();
      }
      // The lock goes once the database is closed, or at once if it never opened.
      opening.whenComplete(
          (st, failure) -> {
            try {
              if (st != null) {
                st.close();
              }
            } finally {
              lock.close();
            }
          });
      throw e;
    }
    String scheme = config.tls() != null ? "https" : "http";
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if ("0.0.0.0".equals(config.host()) || "::".equals(config.host())) {
      host = "127.0.0.1";
    }
    this.url = URI.create(scheme + "://" + host + ":" + app.port());
    // Two threads, so that a long sweep does not delay the licence refresh past its bound.
    this.sweeper =
        Executors.newScheduledThreadPool(
            2, Thread.ofVirtual().name("vendor-sweeper-", 0).factory());
    sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    long refresh = Licences.REFRESH_INTERVAL.toMillis();
    sweeper.scheduleWithFixedDelay(this::refreshLicences, refresh, refresh, TimeUnit.MILLISECONDS);
    if (brokerJoin != null) {
      try {
        brokerJoin.register(config, state.licences, url);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
    LOG.info("vendor {} serving at {}", config.vendor(), url);
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

  private static VendorState join(CompletableFuture<VendorState> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /**
   * Starts a vendor gateway and returns once it is serving.
   *
   * @param config the validated configuration (its port may be 0 for a free one)
   * @param dataDir where the SQLite database and the admin token live (created if missing)
   * @throws org.millicent.storage.StorageException when the database cannot be opened
   * @throws UncheckedIOException when the data folder cannot be created
   * @throws IllegalStateException when another vendor runs on {@code dataDir}
   * @throws io.javalin.util.JavalinException when the port cannot be bound
   */
  public static VendorServer start(VendorConfig config, Path dataDir) {
    return new VendorServer(config, dataDir, null);
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
    return new VendorServer(config, dataDir, join);
  }

  private static ServerConnector tlsConnector(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      VendorConfig config) {
    TlsConfig tls = config.tls();
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

  /**
   * The admin token in {@code dataDir}, generated at the first start. The token is written to a
   * private temporary file and then linked into place, which fails if the file exists: two
   * processes starting together on one folder both end up with the winner's token, and no reader
   * ever sees a half-written file.
   */
  private static String adminToken(Path dataDir, SecureRandom random) {
    Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
      byte[] b = new byte[24];
      random.nextBytes(b);
      String token = HexFormat.of().formatHex(b);
      Path tmp;
      try {
        tmp =
            Files.createTempFile(
                dataDir,
                ADMIN_TOKEN_FILE,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        tmp = Files.createTempFile(dataDir, ADMIN_TOKEN_FILE, ".tmp");
      }
      try {
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        Files.createLink(file, tmp);
        return token;
      } catch (FileAlreadyExistsException e) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token " + file, e);
    }
  }

  private static byte[] manifest(ObjectMapper json, VendorConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", config.vendor());
    m.put("currency", config.currency());
    m.put("variants", config.variants().stream().sorted().map(Variant::wireName).toList());
    m.put("scrip_lifetime_seconds", config.scripLifetime().toSeconds());
    List<Map<String, Object>> brokers = new ArrayList<>();
    for (BrokerConfig b : config.brokers()) {
      brokers.add(Map.of("id", b.id(), "url", b.url().toString()));
    }
    m.put("brokers", brokers);
    List<Map<String, Object>> resources = new ArrayList<>();
    for (String free : config.freePaths()) {
      resources.add(resource("*", free, 0));
    }
    for (Price p : config.prices()) {
      resources.add(resource(p.method(), p.path(), p.priceMillicents()));
    }
    m.put("resources", resources);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (PriceRule r : config.priceRules()) {
      rules.add(
          Map.of(
              "property", r.property(), "rates_bps", r.ratesBps(), "default_bps", r.defaultBps()));
    }
    m.put("price_rules", rules);
    m.put("exchange", "/millicent/exchange");
    try {
      return json.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> resource(String method, String path, long price) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", method);
    r.put("path", path);
    r.put("price_millicents", price);
    return r;
  }

  private void sweep() {
    try {
      state.sweep(Instant.now());
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired spends failed; will retry", e);
    }
    // One line a minute on what payments did, only when something happened.
    metrics.paymentSummary().ifPresent(line -> LOG.info("vendor {}: {}", config.vendor(), line));
  }

  private void refreshLicences() {
    try {
      state.licences.refresh();
      if (licenceRefreshFailing) {
        licenceRefreshFailing = false;
        LOG.info("reading licences changed by other replicas works again");
      }
    } catch (RuntimeException e) {
      if (!licenceRefreshFailing) {
        licenceRefreshFailing = true; // once, not every few seconds while the database is away
        LOG.warn("reading licences changed by other replicas failed; retrying quietly", e);
      }
    }
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
    return config.vendor();
  }

  /** The configuration the server runs with. */
  public VendorConfig config() {
    return config;
  }

  /** The admin bearer token (configured, or generated into the data folder); never log it. */
  public String adminToken() {
    return adminToken;
  }

  /**
   * Allocates a fresh customer ID from the vendor's own space (selector {@value
   * VendorConfig#OWN_CUSTOMER_SELECTOR}), durably, never handed out twice: for in-process wallets,
   * the demo and tests that obtain scrip from this vendor directly.
   */
  public long newCustomerId() {
    return state.store.newOwnCustomerId();
  }

  /**
   * The customer secret of {@code customerId} at this vendor, as a broker would hand it to the
   * customer sealed; for in-process wallets and tests. Never log it.
   *
   * @throws org.millicent.failure.UnknownKeyException when the ID's selector has no customer master
   *     secret
   */
  public CustomerSecret customerSecret(long customerId) {
    return state.customers.derive(config.vendor(), customerId);
  }

  /**
   * Mints scrip under the vendor's primary key, as the vendor does when it sells scrip to a broker:
   * for the demo, the benchmark's load generator and tests.
   */
  public Scrip mint(long valueMillicents, long customerId, Instant expiresAt) {
    return mint(valueMillicents, customerId, expiresAt, ScripProperties.NONE);
  }

  /** As {@link #mint(long, long, Instant)}, with properties (e.g. {@code country}). */
  public Scrip mint(
      long valueMillicents, long customerId, Instant expiresAt, ScripProperties properties) {
    return state.purchases.minter().mint(valueMillicents, customerId, expiresAt, properties);
  }

  /**
   * Mints bearer scrip (docs/PROTOCOL.md, "Scrip"): spendable by whoever holds it, also in the
   * clear variant where the vendor accepts it.
   */
  public Scrip mintBearer(long valueMillicents, long customerId, Instant expiresAt) {
    return state
        .purchases
        .minter()
        .mint(valueMillicents, customerId, expiresAt, ScripProperties.NONE, SpendMode.BEARER);
  }

  /** Stops serving, closes the database and releases the data folder. Idempotent. */
  @Override
  public void close() {
    try {
      sweeper.shutdownNow();
      slowClients.close();
      app.stop();
      content.close();
      metrics.close();
      state.close();
    } finally {
      lock.close();
    }
  }

  /** Creates the data folder, and any missing parent, readable by the owner only (0700). */
  private static void createPrivateFolder(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir); // not a POSIX file system
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + dir, e);
    }
  }

  /** The live state, for tests in this package. */
  VendorState state() {
    return state;
  }

  @Override
  public String toString() {
    return "VendorServer[" + config.vendor() + " " + url + "]";
  }
}
