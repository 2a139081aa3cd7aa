package org.millicent.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.VendorScripSale;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.supply.Licence;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * The broker workload that {@code millicent bench broker} and the JMH broker benchmark
 * (millicent-benchmarks, org.millicent.bench.broker) both measure: licensed vendor-scrip sales
 * charged to customer accounts, each durable before it returns (the sale's charge, the minted
 * scrip's record and the ledger postings committed, group-committed, on disk), by many threads at
 * once through the {@link Broker} service on a throw-away SQLite file (WAL, synchronous=FULL) or
 * PostgreSQL schema. Thread-safe: seller threads call {@link #sale} concurrently.
 */
public final class BrokerWorkloads implements AutoCloseable {
  /** Customer accounts the sales are spread over. */
  public static final int CUSTOMERS = 1_000;

  /** The value of each piece sold: 0.1 cent. */
  public static final long SALE_MILLICENTS = 100;

  /** The licensed vendor. */
  public static final String VENDOR = "venetia";

  private final Path dir;
  private final Database db;
  private final Broker broker;
  private final long[] customers = new long[CUSTOMERS];

  private BrokerWorkloads(Path dir, Database db, Broker broker) {
    this.dir = dir;
    this.db = db;
    this.broker = broker;
  }

  /**
   * A broker with a licence for {@link #VENDOR} and {@value #CUSTOMERS} customers with ample
   * credit, on a fresh database: an SQLite file under {@code sqliteParent}, or a fresh schema of
   * {@code postgresUrl} when it is not null.
   */
  public static BrokerWorkloads open(Path sqliteParent, @Nullable String postgresUrl) {
    Path dir;
    try {
      Files.createDirectories(sqliteParent);
      dir = Files.createTempDirectory(sqliteParent, "millicent-bench-broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DatabaseConfig dc =
        postgresUrl == null
            ? new DatabaseConfig.Sqlite(dir.resolve("broker.db"))
            : new DatabaseConfig.Postgres(
                postgresUrl, "bench_broker_" + Long.toHexString(System.nanoTime()), 8);
    Database db = Database.open(dc);
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withAccounts(BrokerConfig.AGGREGATING, BrokerConfig.MAX_AMOUNT_MILLICENTS)
            .withVendor(
                VendorConfig.licensed(VENDOR, URI.create("http://127.0.0.1:9"), null, null, 500));
    SecureRandom random = new SecureRandom();
    Broker broker =
        Broker.open(config, db, InstantSource.system(), random, new SimpleMeterRegistry());
    broker.installLicence(
        new Licence(
            "bench-licence",
            VENDOR,
            "bob",
            Map.of(200, SecretBytes.random(32, random)),
            201,
            SecretBytes.random(32, random),
            500,
            86_400));
    BrokerWorkloads w = new BrokerWorkloads(dir, db, broker);
    for (int i = 0; i < CUSTOMERS; i++) {
      w.customers[i] = broker.register("customer-" + i).customer().id();
    }
    return w;
  }

  /**
   * One licensed vendor-scrip sale to a random customer, durable when it returns. Like a sale over
   * HTTP it carries a fresh request key (the account request's MAC), so the broker checks it is not
   * a retry and records it for retries.
   */
  public VendorScripSale sale() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long c = customers[r.nextInt(CUSTOMERS)];
    byte[] requestKey = new byte[16];
    r.nextBytes(requestKey);
    return broker.sellVendorScrip(c, VENDOR, SALE_MILLICENTS, requestKey);
  }

  /** The broker, for inspection. */
  public Broker broker() {
    return broker;
  }

  /** What was sold, and whether the books still conserve value. */
  public String summary() {
    BookTotals t = broker.totals();
    long batches =
        db.withHandle(
            h -> h.createQuery("SELECT COUNT(*) FROM ledger_entries").mapTo(Long.class).one());
    long sales = t.moneyInMillicents() / SALE_MILLICENTS;
    return String.format(
        Locale.ROOT,
        "# %d millicents sold in %d sales, %d group commits (%.0f sales each), books %s",
        t.moneyInMillicents(),
        sales,
        batches,
        batches == 0 ? 0.0 : (double) sales / batches,
        t.conserved() ? "conserved" : "NOT CONSERVED");
  }

  /** Stops the broker and removes its database. */
  @Override
  public void close() {
    broker.close();
    db.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
