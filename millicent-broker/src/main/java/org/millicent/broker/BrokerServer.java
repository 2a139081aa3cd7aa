package org.millicent.broker;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.http.BrokerRoutes;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.Causes;
import org.millicent.http.OpenApiDocument;
import org.millicent.http.ProblemErrorHandler;
import org.millicent.http.SlowClientGuard;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: the {@link Broker} service behind its HTTP endpoints, with its database, a
 * settlement schedule and a statement schedule (docs/BROKER.md, "Running a broker"). Start one with
 * {@link #start(BrokerConfig, Path)}; port 0 picks a free port, {@link #url()} says which. This is
 * the public Java API the demo and tests use. Thread-safe.
 */
public final class BrokerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

  /** The admin token file in the data folder, generated on first start unless configured. */
  public static final String ADMIN_TOKEN_FILE = "admin-token";

  /**
   * The join token file in the data folder, generated on first start: vendors on other machines
   * present it to join ({@code POST /broker/vendors/join}).
   */
  public static final String JOIN_TOKEN_FILE = "join-token";

  /**
   * The file in the data folder where a running broker records the URL it listens at, so that the
   * admin commands ({@code millicent broker vendors --data DIR}) reach the broker that folder
   * belongs to; removed when the broker stops.
   */
  public static final String URL_FILE = "url";

  /** The SQLite file in the data folder, unless the configuration names another database. */
  public static final String DATABASE_FILE = "broker.db";

  private final Database db;
  private final Broker broker;
  private final Javalin app;
  private final String adminToken;
  private final String joinToken;
  private final URI url;
  private final ScheduledExecutorService schedule;
  private final SlowClientGuard slowClients;
  private final @Nullable Path urlFile;

  private BrokerServer(
      Database db,
      Broker broker,
      Javalin app,
      String adminToken,
      String joinToken,
      URI url,
      ScheduledExecutorService schedule,
      SlowClientGuard slowClients,
      @Nullable Path urlFile) {
    this.slowClients = slowClients;
    this.urlFile = urlFile;
    this.db = db;
    this.broker = broker;
    this.app = app;
    this.adminToken = adminToken;
    this.joinToken = joinToken;
    this.url = url;
    this.schedule = schedule;
  }

  /**
   * Starts a broker with the system clock.
   *
   * @param config the validated configuration
   * @param dataDir where the broker keeps its SQLite file (unless configured otherwise) and its
   *     admin token; created if missing
   * @throws org.millicent.storage.StorageException when the database cannot be opened
   * @throws IllegalStateException when the server cannot listen
   */
  public static BrokerServer start(BrokerConfig config, Path dataDir) {
    return start(config, dataDir, InstantSource.system());
  }

  /** Starts a broker whose books and scrip use {@code clock}. */
  public static BrokerServer start(BrokerConfig config, Path dataDir, InstantSource clock) {
    config.validate();
    createPrivateFolder(dataDir);
    DatabaseConfig dbConfig =
        DatabaseConfig.parse(config.database().orElse(null), dataDir, DATABASE_FILE);
    Database db = Database.open(dbConfig);
    Broker broker = null;
    try {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      broker = Broker.open(config, db, clock, new SecureRandom(), meters);
      String adminToken =
          config.adminToken().orElseGet(() -> token(dataDir, ADMIN_TOKEN_FILE, "admin token"));
      String joinToken = token(dataDir, JOIN_TOKEN_FILE, "join token");
      BrokerRoutes routes = new BrokerRoutes(broker, adminToken, joinToken, meters);
      Javalin app =
          Javalin.create(
              c -> {
                c.startup.showJavalinBanner = false;
                c.concurrency.useVirtualThreads = true;
                ProblemErrorHandler.install(c);
                routes.register(c);
                config.tls().ifPresent(tls -> addTlsConnector(c, config, tls));
              });
      if (config.tls().isPresent()) {
        app.start();
      } else {
        app.start(config.host(), config.port());
      }
      int port = localPort(app);
      String scheme = config.tls().isPresent() ? "https" : "http";
      String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
      if ("0.0.0.0".equals(host) || "[::]".equals(host)) {
        host = "127.0.0.1";
      }
      URI local = URI.create(scheme + "://" + host + ":" + port);
      URI url = config.publicUrl().orElse(local);
      ScheduledExecutorService schedule =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("broker-schedule").daemon().unstarted(r));
      SlowClientGuard guard =
          SlowClientGuard.start(app.jettyServer().server(), config.httpTimeouts());
      Path urlFile = recordUrl(dataDir, local);
      BrokerServer server =
          new BrokerServer(db, broker, app, adminToken, joinToken, url, schedule, guard, urlFile);
      server.scheduleWork(config, new BrokerActivity(meters));
      log.info("broker \"{}\" listening at {} ({})", config.brokerId(), url, db.describe());
      return server;
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      db.close();
      throw e;
    }
  }

  private void scheduleWork(BrokerConfig config, BrokerActivity activity) {
    // One line a minute on sales and refusals, only when something happened.
    var unusedSummary =
        schedule.scheduleWithFixedDelay(
            () ->
                activity
                    .summary()
                    .ifPresent(line -> log.info("broker \"{}\": {}", config.brokerId(), line)),
            1,
            1,
            TimeUnit.MINUTES);
    Duration interval = config.settlementInterval();
    if (!interval.isZero()) {
      var unusedSettlement =
          schedule.scheduleWithFixedDelay(
              () -> {
                for (VendorConfig v : broker.vendors()) {
                  if (v.supply() == Supply.LICENSED && v.token().isPresent()) {
                    try {
                      broker.pullSettlement(v.vendor());
                    } catch (RuntimeException e) {
                      log.warn(
                          "broker: settlement with {} failed: {}", v.vendor(), Causes.describe(e));
                    }
                  }
                }
              },
              interval.toMillis(),
              interval.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    var unusedSweep =
        schedule.scheduleWithFixedDelay(
            () -> {
              try {
                broker.closeStatements(broker.books().clock().instant());
              } catch (RuntimeException e) {
                log.warn("broker: closing statements failed: {}", Causes.describe(e));
              }
              broker.reconcileWarehouses();
            },
            0,
            10,
            TimeUnit.MINUTES);
  }

  private static void addTlsConnector(
      io.javalin.config.JavalinConfig c, BrokerConfig config, BrokerConfig.Tls tls) {
    c.jetty.addConnector(
        (server, httpConfig) -> {
          SslContextFactory.Server ssl = new SslContextFactory.Server();
          ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
          ssl.setKeyStorePassword(tls.password());
          ssl.setKeyStoreType("PKCS12");
          httpConfig.addCustomizer(new SecureRequestCustomizer(false));
          ServerConnector connector =
              new ServerConnector(
                  server,
                  new SslConnectionFactory(ssl, "http/1.1"),
                  new HttpConnectionFactory(httpConfig));
          connector.setHost(config.host());
          connector.setPort(config.port());
          return connector;
        });
  }

  private static int localPort(Javalin app) {
    for (Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc && sc.getLocalPort() > 0) {
        return sc.getLocalPort();
      }
    }
    return app.port();
  }

  private static void createPrivateFolder(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        try {
          // Every folder created here, missing parents too, is private from its creation.
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir); // not a POSIX file system: default permissions
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + dir, e);
    }
  }

  /**
   * Writes the local URL to {@link #URL_FILE}: the listening address, not a public URL, since the
   * admin commands that read it run on this machine. A failure costs only that convenience.
   */
  private static @Nullable Path recordUrl(Path dataDir, URI local) {
    Path f = dataDir.resolve(URL_FILE);
    try {
      Files.writeString(f, local + "\n", StandardCharsets.US_ASCII);
      return f;
    } catch (IOException e) {
      log.warn(
          "broker: could not record its URL in {} ({}); admin commands will need --url",
          f,
          Causes.describe(e));
      return null;
    }
  }

  /** Reads a token from the data folder, generating it (0600) on first start. */
  private static String token(Path dataDir, String file, String what) {
    Path f = dataDir.resolve(file);
    try {
      if (Files.exists(f)) {
        return Files.readString(f, StandardCharsets.US_ASCII).strip();
      }
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      String token = Base64Url.encode(b);
      Files.writeString(f, token + "\n", StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the " + what + " " + f, e);
    }
  }

  /** The base URL customers and vendors reach the broker at. */
  public URI url() {
    return url;
  }

  /** Every HTTP route this broker answers, as "METHOD /path" (Javalin's path syntax). */
  public List<String> routes() {
    return OpenApiDocument.routes(app);
  }

  /** The port listened on. */
  public int port() {
    return localPort(app);
  }

  /** The broker service, for in-process use. */
  public Broker broker() {
    return broker;
  }

  /** The admin bearer token (configured, or generated into the data folder). */
  public String adminToken() {
    return adminToken;
  }

  /**
   * The join token (generated into the data folder): vendors on other machines present it to join
   * this broker. Never log it.
   */
  public String joinToken() {
    return joinToken;
  }

  /**
   * Pulls {@code vendor}'s received-IDs report and settles it: the settlement trigger.
   *
   * @throws BrokerException {@code unknown-vendor} or {@code vendor-unavailable}
   */
  public SettlementResult settle(String vendor) {
    return broker.pullSettlement(vendor);
  }

  /** Settles every licensed vendor that has a token configured; returns one result each. */
  public List<SettlementResult> settleAll() {
    return broker.vendors().stream()
        .filter(v -> v.supply() == Supply.LICENSED && v.token().isPresent())
        .map(v -> broker.pullSettlement(v.vendor()))
        .toList();
  }

  /** Stops serving, writes what the books hold, and closes the database. */
  @Override
  public void close() {
    schedule.shutdownNow();
    slowClients.close();
    app.stop();
    broker.close();
    db.close();
    if (urlFile != null) {
      try {
        Files.deleteIfExists(urlFile);
      } catch (IOException e) {
        log.debug("broker: could not remove {}: {}", urlFile, Causes.describe(e));
      }
    }
  }
}
