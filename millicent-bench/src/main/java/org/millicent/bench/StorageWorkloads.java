package org.millicent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.StorageException;
import org.millicent.vendor.store.DurableSpendRecorder;

/**
 * The storage workloads that {@code millicent bench storage} and the JMH storage benchmarks
 * (millicent-benchmarks, org.millicent.bench.storage) both measure, many spender threads at once:
 * durable spends through the {@link DurableSpendRecorder} (one {@code spend} of a fresh scrip with
 * its change, returning once durable; or, as a reverse proxy pays, a claim and then a commit), and
 * the baseline "customers keep accounts with vendors", one SQL balance debit per purchase in its
 * own durable transaction. Each runs on a throw-away database: an SQLite file (WAL,
 * synchronous=FULL) in a fresh folder, or a fresh PostgreSQL schema, removed on close. Thread-safe:
 * spender threads call {@code purchase} concurrently.
 */
public final class StorageWorkloads {
  /**
   * Spend stores: SQLite embedded, PostgreSQL shared (the database decides), PostgreSQL embedded.
   */
  public static final List<String> SPEND_STORES =
      List.of("sqlite", "postgres-shared", "postgres-embedded");

  /** Debit stores. */
  public static final List<String> DEBIT_STORES = List.of("sqlite", "postgres");

  /** PostgreSQL used when none is named: the local test database. */
  public static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** Accounts in the debit baseline. */
  public static final int ACCOUNTS = 10_000;

  /** The price charged per purchase in both workloads, in millicents. */
  public static final long PRICE_MILLICENTS = 5_000;

  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  private static final String DEBIT =
      "UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?";

  /**
   * Where the throw-away databases go.
   *
   * @param sqliteParent the folder in which a fresh folder for each SQLite file is made
   * @param postgresUrl the PostgreSQL database in which fresh schemas are made; null when there is
   *     none, and only SQLite stores are opened
   */
  public record Target(Path sqliteParent, @Nullable String postgresUrl) {
    /**
     * From the environment: {@code -Dmillicent.bench.dir} (default {@code java.io.tmpdir}) and
     * {@code MILLICENT_BENCH_POSTGRES_URL} (default {@value #DEFAULT_POSTGRES_URL}).
     */
    public static Target fromEnvironment() {
      String url = System.getenv("MILLICENT_BENCH_POSTGRES_URL");
      return new Target(
          Path.of(System.getProperty("millicent.bench.dir", System.getProperty("java.io.tmpdir"))),
          url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url);
    }
  }

  private StorageWorkloads() {}

  /**
   * The spend records of the workloads: a new scrip ID each, a 16-byte request fingerprint and
   * change scrip with one property, as a vendor stores them. Thread-safe (immutable after
   * construction).
   */
  private static final class SpendRecords {
    private final Scrip change;
    private final byte[] fingerprint = new byte[16];

    SpendRecords() {
      SecureRandom random = new SecureRandom();
      this.change =
          new ScripMinter(
                  "news.example", MasterSecrets.generate(2, random), new InMemorySerialAllocator())
              .mint(95_000, 12345L, EXPIRES, ScripProperties.of(Map.of("country", "NL")));
      random.nextBytes(fingerprint);
    }

    SpendRecord spend(long serial) {
      return new SpendRecord(
          new ScripId(1, serial), EXPIRES, fingerprint, PRICE_MILLICENTS, Optional.of(change));
    }
  }

  /**
   * What the SQLite writer of the spent list could reach at best with batches of {@code batchSize}
   * ({@link SpendCommitProbe}), on a fresh file that is removed afterwards, with the records the
   * spend workloads write.
   *
   * @throws StorageException when the database fails
   */
  public static SpendCommitProbe.Result sqliteCommitCeiling(
      Target target, int batchSize, Duration warmup, Duration measure) {
    Database db = sqlite(target);
    try {
      SpendRecords records = new SpendRecords();
      return SpendCommitProbe.run(db, batchSize, warmup, measure, records::spend);
    } finally {
      drop(db);
    }
  }

  /** Durable spends on one store. */
  public static final class Spends implements AutoCloseable {
    private final String store;
    private final Database db;
    private final DurableSpendRecorder recorder;
    private final AtomicLong nextSerial = new AtomicLong();
    private final SpendRecords records = new SpendRecords();

    private Spends(String store, Database db, DurableSpendRecorder.Mode mode) {
      this.store = store;
      this.db = db;
      this.recorder = DurableSpendRecorder.open(db, mode, InstantSource.system());
    }

    /**
     * Opens {@code store} (one of {@link #SPEND_STORES}) on a fresh database.
     *
     * @throws StorageException when the database cannot be opened
     */
    public static Spends open(String store, Target target) {
      return switch (store) {
        case "sqlite" -> new Spends(store, sqlite(target), DurableSpendRecorder.Mode.EMBEDDED);
        case "postgres-shared" ->
            new Spends(store, postgres(target, 16), DurableSpendRecorder.Mode.SHARED);
        case "postgres-embedded" ->
            new Spends(store, postgres(target, 16), DurableSpendRecorder.Mode.EMBEDDED);
        default ->
            throw new IllegalArgumentException(
                "unknown spend store \"" + store + "\", expected one of " + SPEND_STORES);
      };
    }

    private SpendRecord fresh() {
      return records.spend(nextSerial.getAndIncrement());
    }

    /**
     * One purchase as a vendor serving static content makes it: one {@code spend} of a fresh scrip
     * with its change, returning once durable.
     */
    public void purchase() {
      SpendRecord r = fresh();
      if (!(recorder.spend(r) instanceof SpendRecorder.Claimed)) {
        throw new IllegalStateException("fresh scrip " + r.id() + " was not spendable");
      }
    }

    /**
     * One purchase as a reverse proxy makes it (the origin may fail, so the scrip is held, not
     * spent, while it answers): claim a fresh scrip, then commit it with its change.
     */
    public void purchaseClaimCommit() {
      SpendRecord r = fresh();
      if (!(recorder.claim(r.id(), EXPIRES, r.fingerprint()) instanceof SpendRecorder.Claimed)) {
        throw new IllegalStateException("fresh scrip " + r.id() + " was not claimable");
      }
      recorder.commit(r);
    }

    /** Spends a fresh scrip without waiting; the future completes once it is durable. */
    public CompletableFuture<SpendRecorder.Claim> purchaseAsync() {
      return recorder.spendAsync(fresh());
    }

    /** The recorder, for its counters and spent set. */
    public DurableSpendRecorder recorder() {
      return recorder;
    }

    /** One line on batching and memory since open. */
    public String summary() {
      DurableSpendRecorder.Stats s = recorder.stats();
      long marked = recorder.spentSet().markedCount();
      return String.format(
          Locale.ROOT,
          "%s: %d spends in %d commit batches (%.1f per transaction and fsync); spent set %d bytes"
              + " for %d spends (%.2f bits each)",
          store,
          s.commits(),
          s.commitBatches(),
          s.meanBatchSize(),
          recorder.spentSet().approximateBytes(),
          marked,
          marked == 0 ? 0.0 : recorder.spentSet().approximateBytes() * 8.0 / marked);
    }

    /** Closes the recorder and removes the database. */
    @Override
    public void close() {
      recorder.close();
      drop(db);
    }
  }

  /** One balance debit per purchase on one store. */
  public static final class Debits implements AutoCloseable {
    private final Database db;

    private Debits(Database db) {
      this.db = db;
      db.withConnection(
          c -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
              st.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
            }
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO accounts (id, balance) VALUES (?, ?)")) {
              for (int i = 0; i < ACCOUNTS; i++) {
                ps.setLong(1, i);
                ps.setLong(2, Long.MAX_VALUE / 2);
                ps.addBatch();
              }
              ps.executeBatch();
            }
            c.commit();
            return ACCOUNTS; // withConnection hands back a value: the accounts created
          });
    }

    /**
     * Opens {@code store} (one of {@link #DEBIT_STORES}) on a fresh database with {@value
     * #ACCOUNTS} funded accounts. On PostgreSQL the pool has {@code spenders} connections, one per
     * spender, as a server with a connection per request thread would; SQLite serialises writers on
     * its file lock whatever the pool.
     *
     * @throws StorageException when the database cannot be opened
     */
    public static Debits open(String store, Target target, int spenders) {
      return switch (store) {
        case "sqlite" -> new Debits(sqlite(target));
        case "postgres" -> new Debits(postgres(target, spenders));
        default ->
            throw new IllegalArgumentException(
                "unknown debit store \"" + store + "\", expected one of " + DEBIT_STORES);
      };
    }

    /** One purchase paid from a random account: one durable UPDATE in its own transaction. */
    public void purchase() {
      long account = ThreadLocalRandom.current().nextInt(ACCOUNTS);
      int debited =
          db.withConnection(
              c -> {
                try (PreparedStatement ps = c.prepareStatement(DEBIT)) {
                  ps.setLong(1, PRICE_MILLICENTS);
                  ps.setLong(2, account);
                  ps.setLong(3, PRICE_MILLICENTS);
                  return ps.executeUpdate();
                }
              });
      if (debited != 1) {
        throw new IllegalStateException("account " + account + " was not debited");
      }
    }

    /** Removes the database. */
    @Override
    public void close() {
      drop(db);
    }
  }

  private static Database sqlite(Target target) {
    try {
      Files.createDirectories(target.sqliteParent());
      Path dir = Files.createTempDirectory(target.sqliteParent(), "millicent-bench-");
      return Database.open(new DatabaseConfig.Sqlite(dir.resolve("bench.db")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Database postgres(Target target, int poolSize) {
    String url = target.postgresUrl();
    if (url == null) {
      throw new IllegalArgumentException("a PostgreSQL store needs a PostgreSQL URL (--postgres)");
    }
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return Database.open(new DatabaseConfig.Postgres(url, schema, poolSize));
  }

  /** Closes {@code db} and deletes its folder or drops its schema. */
  private static void drop(Database db) {
    DatabaseConfig config = db.config();
    db.close();
    switch (config) {
      case DatabaseConfig.Sqlite s -> {
        try (Stream<Path> files = Files.walk(s.file().getParent())) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case DatabaseConfig.Postgres p -> {
        try (Connection c = DriverManager.getConnection(p.jdbcUrl());
            Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA IF EXISTS \"" + p.schema() + "\" CASCADE");
        } catch (SQLException e) {
          throw new StorageException(
              StorageException.FAILED, "could not drop bench schema " + p.schema(), e);
        }
      }
    }
  }
}
