package org.millicent.vendor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.UriCompliance;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.PaymentException;
import org.millicent.http.HttpRefusal;
import org.millicent.http.OpenApiDocument;
import org.millicent.http.RouteMethods;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.Price;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.content.ContentSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Millicent vendor gateway without a server of its own: mount it in a Javalin app you own
 * (docs/EMBEDDING.md), where it answers the priced and free paths of its configuration, {@code
 * /.well-known/millicent} and {@code /millicent/*}, and leaves every other route to the app. {@link
 * VendorServer} is this gateway mounted in a Jetty server of its own.
 *
 * <pre>{@code
 * try (MillicentGateway millicent = MillicentGateway.open(config, dataDir)) {
 *   Javalin app = Javalin.create(cfg -> {
 *     cfg.routes.get("/", ctx -> ctx.result("free"));   // the app's own routes first
 *     millicent.install(cfg);                           // then the gateway's
 *   }).start(8080);
 *   ...
 *   app.stop();                                         // before the gateway closes
 * }
 * }</pre>
 *
 * <p>State lives in the database of the configuration ({@code vendor.db} in {@code dataDir} by
 * default, or PostgreSQL), as for {@link VendorServer}; the data folder is locked while the gateway
 * is open. Thread-safe; {@link #close()} closes the database and releases the data folder.
 */
public final class MillicentGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MillicentGateway.class);

  private final VendorConfig config;
  private final DataFolderLock lock;
  private final String adminToken;
  private final CompletableFuture<VendorState> opening;
  private final ContentSource content;
  private final VendorMetrics metrics;
  private final Problems problems;
  private final ObjectMapper json = new ObjectMapper();
  private final RouteMethods fixedRoutes = new RouteMethods();
  private final VendorGateway gateway;
  private final JsonApi api;
  private final CompletableFuture<BrokerEndpoints> brokers;
  private final CompletableFuture<AdminEndpoints> admin;
  private final AtomicBoolean installed = new AtomicBoolean();
  private volatile @Nullable Housekeeping housekeeping;

  /**
   * Takes the data folder and starts opening the database in a second thread, since it takes a few
   * hundred milliseconds on a cold JVM: offers, free content and the manifest are answered at once;
   * paid requests, exchanges and broker endpoints wait for the database ({@link #awaitState}).
   */
  MillicentGateway(
      VendorConfig given, Path dataDir, @Nullable BrokerJoin join, InstantSource clock) {
    SecureRandom random = new SecureRandom();
    DataFolder.createPrivate(dataDir);
    this.lock = DataFolderLock.acquire(dataDir);
    final VendorConfig config;
    try {
      this.adminToken =
          given.adminToken() != null ? given.adminToken() : DataFolder.adminToken(dataDir, random);
      // A broker joined at start is named in offers like a configured one.
      config = join == null ? given : join.addTo(given, adminToken);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    this.config = config;
    this.opening = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("vendor-open")
        .start(
            () -> {
              try {
                opening.complete(VendorState.open(config, dataDir, random, clock));
              } catch (Throwable t) {
                opening.completeExceptionally(t);
              }
            });
    ContentSource contentSource = null;
    try {
      contentSource = ContentSource.of(config.content(), config.maxAnswerBytes());
      this.metrics =
          new VendorMetrics(
              config.vendor(),
              () -> opened() ? opening.join().spentListSize() : 0,
              () -> opened() ? opening.join().spends.stats() : null,
              new VendorActivity(clock));
      Offer offer = new Offer(config);
      ClientFiles client = new ClientFiles();
      this.problems = new Problems(offer, metrics, new Paywall(config, client.available()));
      this.gateway =
          new VendorGateway(
              new Catalogue(config),
              contentSource,
              config.content() instanceof Content.Origin,
              OriginPaidHeaders.of(config, clock),
              this::awaitState,
              problems,
              metrics,
              json,
              random,
              Manifest.of(json, config, List.of()),
              VendorServer.publicOrigins(config),
              fixedRoutes,
              client);
      this.api = new JsonApi(json, problems, metrics);
      this.brokers = opening.thenApply(st -> new BrokerEndpoints(config, st, api, random));
      this.admin =
          opening.thenApply(
              st -> new AdminEndpoints(config, st, adminToken, api, random, metrics.activity()));
      this.content = contentSource;
    } catch (RuntimeException e) {
      if (contentSource != null) {
        contentSource.close();
      }
      closeWhenOpened();
      throw e;
    }
  }

  /**
   * Opens the gateway of {@code config} on {@code dataDir} and returns once its database is ready.
   *
   * @throws org.millicent.storage.StorageException when the database cannot be opened
   * @throws java.io.UncheckedIOException when the data folder cannot be created
   * @throws IllegalStateException when another vendor runs on {@code dataDir}
   */
  public static MillicentGateway open(VendorConfig config, Path dataDir) {
    return open(config, dataDir, InstantSource.system());
  }

  /**
   * As {@link #open(VendorConfig, Path)}, with the clock that decides scrip expiry, licence and
   * sale times (tests move one by hand).
   */
  public static MillicentGateway open(VendorConfig config, Path dataDir, InstantSource clock) {
    MillicentGateway g = new MillicentGateway(config, dataDir, null, clock);
    try {
      g.awaitState();
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  /**
   * Mounts the gateway on the app {@code cfg} configures, with everything a server of its own
   * serves: the content of its priced and free paths, {@code /.well-known/millicent}, {@code
   * /millicent/exchange}, {@code /millicent/recover}, the JavaScript client, the broker and admin
   * endpoints under {@code /millicent/}, {@code /health}, {@code /metrics}, {@code
   * /.well-known/openapi.yaml}, and the answer to a CORS preflight on the gateway's paths. Routes
   * the app adds first win. The app's server is set to refuse ambiguous request targets (RFC 3986),
   * which the gateway's pricing relies on (docs/HTTP-API.md, "Request targets"), and to read
   * request heads up to {@link HttpRefusal#MAX_HEAD_BYTES}, as a payment header may be 16 KiB.
   * Failures on the gateway's paths are answered with problem documents; the app's own exception
   * handlers stay.
   *
   * @throws IllegalStateException when the gateway is mounted already
   */
  public void install(JavalinConfig cfg) {
    mount(cfg, VendorGateway.contentPaths(config));
  }

  /**
   * Mounts the gateway as the whole app ({@link VendorServer}): as {@link #install}, with the
   * content catch-all, and problem documents for every failure and every request no route takes.
   */
  void installAsServer(JavalinConfig cfg) {
    mount(cfg, List.of("/", "/*"));
    cfg.routes.exception(Exception.class, (e, ctx) -> problems.write(ctx, e, -1));
    // Javalin answers its own refusals (no route for the method, a body over its size limit) in
    // text unless told otherwise.
    cfg.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e instanceof NotFoundResponse) {
            gateway.notRouted(ctx);
          } else {
            problems.write(ctx, e, -1);
          }
        });
  }

  /**
   * What {@link #install} and {@link #installAsServer} share: the server settings, the fixed
   * routes, then the content handler at {@code contentPaths} (last, so that routes added before
   * win).
   */
  private void mount(JavalinConfig cfg, List<String> contentPaths) {
    if (!installed.compareAndSet(false, true)) {
      throw new IllegalStateException("the gateway of " + config.vendor() + " is mounted already");
    }
    refuseAmbiguousTargets(cfg);
    // A payment header may be 16 KiB (AuthParams.MAX_LENGTH); Jetty's default head is 8 KiB.
    cfg.jetty.modifyHttpConfiguration(
        http ->
            http.setRequestHeaderSize(
                Math.max(http.getRequestHeaderSize(), HttpRefusal.MAX_HEAD_BYTES)));
    // Only the gateway throws these, so an app's own handlers stay as they are.
    cfg.routes.exception(ProblemException.class, (e, ctx) -> problems.write(ctx, e, -1));
    cfg.routes.exception(PaymentException.class, (e, ctx) -> problems.write(ctx, e, -1));
    unlessTheAppRoutes(
        "/health",
        () ->
            fixedRoutes.get(
                cfg.routes,
                "/health",
                ctx -> {
                  VendorHealth h = health();
                  ctx.status(h.up() ? 200 : 503)
                      .header("Cache-Control", "no-store")
                      .contentType("application/json")
                      .result(json.writeValueAsBytes(h.document()));
                }));
    unlessTheAppRoutes(
        "/metrics",
        () ->
            fixedRoutes.get(
                cfg.routes,
                "/metrics",
                ctx ->
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape())));
    unlessTheAppRoutes(
        OpenApiDocument.PATH,
        () ->
            OpenApiDocument.addRoute(
                fixedRoutes, cfg.routes, VendorServer.class, "openapi/vendor.yaml"));
    BrokerEndpoints.addRoutes(fixedRoutes, cfg.routes, api, brokers::join);
    AdminEndpoints.addRoutes(fixedRoutes, cfg.routes, api, admin::join);
    VendorGateway.addRoutes(fixedRoutes, cfg.routes, () -> gateway, contentPaths);
  }

  /**
   * Adds the operator's endpoint at {@code path} by {@code add}, unless the app it is mounted in
   * answers GET {@code path} already: Javalin refuses a second handler for one method and path
   * ({@link IllegalArgumentException}), and an app's own {@code /health} stays its own.
   */
  private void unlessTheAppRoutes(String path, Runnable add) {
    try {
      add.run();
    } catch (IllegalArgumentException e) {
      LOG.info(
          "vendor {}: the app answers GET {} itself, so the gateway's is not mounted",
          config.vendor(),
          path);
    }
  }

  /** Refuses every ambiguous target before a route runs; RequestTarget relies on it. */
  private static void refuseAmbiguousTargets(JavalinConfig cfg) {
    cfg.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.RFC3986));
  }

  /**
   * The runtime's health now: whether its database answers (payments work), its keys, and whether
   * each configured broker holds a licence. Reads the database; for a health check, not a hot path.
   */
  public VendorHealth health() {
    try {
      return VendorHealth.of(config, awaitState());
    } catch (RuntimeException e) {
      return VendorHealth.down(config, e);
    }
  }

  /**
   * Also publishes the vendor's meters ({@code millicent.vendor.*}: requests, payments, rejections,
   * revenue, replays, spent-list size, spend batches) in {@code registry}, such as a Spring Boot
   * application's: the same meters the gateway's {@code /metrics} shows, not a copy.
   */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    metrics.publishTo(registry);
  }

  private boolean opened() {
    return opening.isDone() && !opening.isCompletedExceptionally();
  }

  /**
   * The state, once the database is open; starts the housekeeping at the first call.
   *
   * @throws org.millicent.storage.StorageException when the database could not be opened
   */
  VendorState awaitState() {
    VendorState st;
    try {
      st = opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
    if (housekeeping == null) {
      synchronized (this) {
        if (housekeeping == null) {
          housekeeping = Housekeeping.start(config.vendor(), st, metrics);
        }
      }
    }
    return st;
  }

  /**
   * The sale of a request by the priced paths of the configuration, for an application that answers
   * them itself instead of {@link #install mounting} the gateway: the servlet filter of {@code
   * millicent-servlet} (docs/SERVLET.md). It uses the gateway's database, catalogue, offer and
   * metrics.
   */
  public Checkout checkout() {
    return gateway.checkout();
  }

  /**
   * Lists {@code prices} in the manifest's {@code resources}, before the configuration's entries:
   * the requests the application prices itself (with a price given to {@link Checkout}: the Spring
   * Boot starter's {@code @Priced} handlers), which are priced before the configuration, so that a
   * wallet reading the manifest sees them (docs/HTTP-API.md, "Prices"). Replaces the entries listed
   * before; the catalogue is unchanged (the application still prices those requests). Thread-safe.
   */
  public void listApplicationPrices(List<Price> prices) {
    gateway.manifest(Manifest.of(json, config, prices));
  }

  /** The configuration the gateway runs with (a broker joined at start included). */
  public VendorConfig config() {
    return config;
  }

  /** The admin bearer token (configured, or generated into the data folder); never log it. */
  public String adminToken() {
    return adminToken;
  }

  /**
   * Closes the database and releases the data folder; stop the app it is mounted in first.
   * Idempotent.
   */
  @Override
  public void close() {
    try {
      Housekeeping h = housekeeping;
      if (h != null) {
        h.close();
        h.flushActivity(); // the counts since the last flush, before the database closes
      }
      content.close();
      metrics.close();
    } finally {
      closeWhenOpened();
    }
  }

  /** Closes the state once it is open (at once if it is), then releases the data folder. */
  private void closeWhenOpened() {
    var unused =
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
  }

  @Override
  public String toString() {
    return "MillicentGateway[" + config.vendor() + "]";
  }
}
