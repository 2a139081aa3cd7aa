package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.AggregatingProvider;
import org.millicent.broker.accounts.Customer;
import org.millicent.broker.accounts.PrepaidProvider;
import org.millicent.broker.accounts.Registration;
import org.millicent.broker.books.BookTotals;
import org.millicent.failure.ExpiredException;
import org.millicent.failure.InsufficientValueException;
import org.millicent.failure.SpentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.purchase.Pricer;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.testing.MutableClock;

/**
 * Random sequences of registrations, top-ups, sales, purchases with broker scrip, purchases at the
 * vendor, settlements and statement closes against a broker on a real SQLite file. After every step
 * the durable books must conserve value (money in = outstanding + redeemed + breakage, all entries
 * balanced), agree with an independent model of what succeeded, agree with the per-piece records of
 * issued scrip, and no account may be past its limit. Bad input must fail with its code and leave
 * the books unchanged. Each sequence is drawn from its seed; a failure names the seed, the step and
 * the whole sequence, and {@code ops(new SplittableRandom(seed))} replays it.
 */
class BooksConservationTest {
  private static final Authority ORIGIN = Authority.of("https", "bob.example", -1);

  private static final long LIMIT = 50_000;

  sealed interface Op {}

  record Register(boolean prepaid) implements Op {}

  record TopUp(int who, long amount) implements Op {}

  record SellBrokerScrip(int who, long amount) implements Op {}

  record SellVendorScrip(int who, long amount) implements Op {}

  record BuyWithBrokerScrip(int which, long amount) implements Op {}

  record ReplayBrokerScrip(int which) implements Op {}

  record SpendAtVendor(int which, long price) implements Op {}

  record Settle(int count, boolean neverIssued, boolean duplicate) implements Op {}

  record CloseMonth() implements Op {}

  record UnknownVendor(int who, long amount) implements Op {}

  /** Amounts out of range: one amount in eleven is one of these. */
  private static final long[] BAD_AMOUNTS = {
    0L, -1L, -20_000L, Long.MIN_VALUE, BrokerConfig.MAX_AMOUNT_MILLICENTS + 1, Long.MAX_VALUE
  };

  /** A kind of step and how often it is drawn, relative to the others. */
  private record Weighted(int weight, Function<SplittableRandom, Op> make) {}

  private static final List<Weighted> STEPS =
      List.of(
          new Weighted(3, r -> new Register(r.nextBoolean())),
          new Weighted(2, r -> new TopUp(index(r), amount(r))),
          new Weighted(4, r -> new SellBrokerScrip(index(r), amount(r))),
          new Weighted(4, r -> new SellVendorScrip(index(r), amount(r))),
          new Weighted(4, r -> new BuyWithBrokerScrip(index(r), between(r, 1, 20_000))),
          new Weighted(1, r -> new ReplayBrokerScrip(index(r))),
          new Weighted(4, r -> new SpendAtVendor(index(r), between(r, 0, 20_000))),
          new Weighted(2, r -> new Settle(r.nextInt(6), r.nextBoolean(), r.nextBoolean())),
          new Weighted(1, r -> new CloseMonth()),
          new Weighted(1, r -> new UnknownVendor(index(r), amount(r))));

  /** A sequence of 5 to 30 steps drawn by weight. */
  static List<Op> ops(SplittableRandom r) {
    int total = STEPS.stream().mapToInt(Weighted::weight).sum();
    List<Op> ops = new ArrayList<>();
    for (int n = r.nextInt(5, 31); n > 0; n--) {
      int w = r.nextInt(total);
      for (Weighted step : STEPS) {
        if (w < step.weight()) {
          ops.add(step.make().apply(r));
          break;
        }
        w -= step.weight();
      }
    }
    return ops;
  }

  private static int index(SplittableRandom r) {
    return (int) between(r, 0, 1000);
  }

  private static long amount(SplittableRandom r) {
    return r.nextInt(11) == 0 ? BAD_AMOUNTS[r.nextInt(BAD_AMOUNTS.length)] : between(r, 1, 20_000);
  }

  /** A number in [min, max]; one in eight is min or max itself. */
  private static long between(SplittableRandom r, long min, long max) {
    if (r.nextInt(8) == 0) {
      return r.nextBoolean() ? min : max;
    }
    return r.nextLong(min, max + 1);
  }

  /** The model: what must be true if the broker did exactly what succeeded. */
  private static final class Model {
    long moneyIn;
    long redeemed;
    final Map<Long, Long> owed = new HashMap<>();
    final Map<Long, Long> limit = new HashMap<>();
    final List<Registration> customers = new ArrayList<>();
    final List<Scrip> brokerScrip = new ArrayList<>();
    final List<Scrip> spentBrokerScrip = new ArrayList<>();
    final List<VendorScripSale> vendorScrip = new ArrayList<>();
    final Map<Long, CustomerSecret> ownerSecret = new HashMap<>();
    final List<Long> received = new ArrayList<>();
    final java.util.Set<Long> spentAtVendor = new java.util.HashSet<>();
    final Map<Long, Long> valueOf = new HashMap<>();

    @SuppressWarnings("UnusedMethod") // the sum to print when a conservation case fails
    long outstanding() {
      long b = brokerScrip.stream().mapToLong(Scrip::valueMillicents).sum();
      long v = 0;
      for (VendorScripSale s : vendorScrip) {
        v += s.scrip().valueMillicents();
      }
      return b + v - redeemedFromVendor;
    }

    long redeemedFromVendor;

    /** Broker scrip that expired unspent and was recognised as breakage at a statement close. */
    long breakage;

    boolean fits(long customer, long amount) {
      return amount >= 1
          && amount <= BrokerConfig.MAX_AMOUNT_MILLICENTS
          && owed.get(customer) + amount <= limit.get(customer);
    }
  }

  /** Fixed seeds, one sequence each, so every run tries the same sequences. */
  static LongStream seeds() {
    return LongStream.range(0, 25);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void books_conserveValueAndRespectLimits_overAnySequence(long seed) throws IOException {
    List<Op> ops = ops(new SplittableRandom(seed));
    Path dir = Files.createTempDirectory("broker-prop");
    SecureRandom random = new SecureRandom();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withAccounts(BrokerConfig.AGGREGATING, LIMIT)
            .withVendor(
                VendorConfig.licensed("venetia", URI.create("http://127.0.0.1:9"), "t", null, 700));
    LicensingVendor venetia = new LicensingVendor("venetia", "bob", 700, clock);
    Database db = openDatabase(dir);
    Broker broker = Broker.open(config, db, clock, random, new SimpleMeterRegistry());
    try {
      broker.installLicence(venetia.licence);
      Model m = new Model();
      for (int step = 0; step < ops.size(); step++) {
        Op op = ops.get(step);
        try {
          BookTotals before = broker.totals();
          boolean changed = apply(op, broker, m, venetia, clock, random);
          if (!changed) {
            assertThat(broker.totals()).as("books after failed %s", op).isEqualTo(before);
          }
          check(broker, m, db, op);
        } catch (RuntimeException | AssertionError e) {
          Assertions.fail("seed " + seed + " fails at step " + step + " of " + ops, e);
        }
      }
    } finally {
      broker.close();
      db.close();
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The database of one try: a fresh SQLite file here, a fresh PostgreSQL schema in the IT. */
  Database openDatabase(Path dir) {
    return TestDatabases.sqlite(dir);
  }

  /** Applies one step; returns whether it should have changed the books. */
  private static boolean apply(
      Op op, Broker b, Model m, LicensingVendor venetia, MutableClock clock, SecureRandom random) {
    switch (op) {
      case Register r -> {
        Registration reg =
            b.accounts()
                .register(
                    "c" + m.customers.size(),
                    r.prepaid() ? PrepaidProvider.NAME : AggregatingProvider.NAME);
        long id = reg.customer().id();
        m.customers.add(reg);
        m.owed.put(id, 0L);
        m.limit.put(id, r.prepaid() ? 0L : LIMIT);
        return false;
      }
      case TopUp t -> {
        if (m.customers.isEmpty()) {
          return false;
        }
        long id = m.customers.get(t.who() % m.customers.size()).customer().id();
        if (t.amount() < 1 || t.amount() > BrokerConfig.MAX_AMOUNT_MILLICENTS) {
          expectCode(() -> b.topUp(id, t.amount()), BrokerError.BAD_AMOUNT);
          return false;
        }
        b.topUp(id, t.amount());
        m.owed.merge(id, -t.amount(), Long::sum);
        return true;
      }
      case SellBrokerScrip s -> {
        if (m.customers.isEmpty()) {
          return false;
        }
        Registration reg = m.customers.get(s.who() % m.customers.size());
        long id = reg.customer().id();
        if (refusedUnlessItFits(m, id, s.amount(), () -> b.sellBrokerScrip(id, s.amount(), null))) {
          return false;
        }
        Scrip scrip = b.sellBrokerScrip(id, s.amount(), null);
        assertThat(scrip.valueMillicents()).isEqualTo(s.amount());
        m.brokerScrip.add(scrip);
        m.ownerSecret.put(scrip.id().toLong(), reg.secret());
        m.owed.merge(id, s.amount(), Long::sum);
        m.moneyIn += s.amount();
        return true;
      }
      case SellVendorScrip s -> {
        if (m.customers.isEmpty()) {
          return false;
        }
        Registration reg = m.customers.get(s.who() % m.customers.size());
        long id = reg.customer().id();
        if (refusedUnlessItFits(
            m, id, s.amount(), () -> b.sellVendorScrip(id, "venetia", s.amount(), null))) {
          return false;
        }
        VendorScripSale sale = b.sellVendorScrip(id, "venetia", s.amount(), null);
        m.vendorScrip.add(sale);
        m.valueOf.put(sale.scrip().id().toLong(), sale.scrip().valueMillicents());
        m.ownerSecret.put(
            sale.scrip().id().toLong(),
            Payer.openSecret(
                reg.secret(), "venetia", sale.customerIdAtVendor(), sale.sealedCustomerSecret()));
        m.owed.merge(id, s.amount(), Long::sum);
        m.moneyIn += s.amount();
        return true;
      }
      case BuyWithBrokerScrip buy -> {
        if (m.brokerScrip.isEmpty()) {
          return false;
        }
        Scrip bs = m.brokerScrip.get(buy.which() % m.brokerScrip.size());
        CustomerSecret secret = m.ownerSecret.get(bs.id().toLong());
        var payment =
            Payer.signed(
                bs,
                secret,
                Nonce.random(random),
                RequestDescriptor.of(ORIGIN, "POST", "/broker/vendor-scrip", new byte[] {1}));
        if (!clock.instant().isBefore(bs.expiresAt())) {
          assertThatThrownBy(() -> b.buyVendorScrip(payment, "venetia", buy.amount()))
              .isInstanceOf(ExpiredException.class);
          return false;
        }
        if (buy.amount() > bs.valueMillicents()) {
          assertThatThrownBy(() -> b.buyVendorScrip(payment, "venetia", buy.amount()))
              .isInstanceOf(InsufficientValueException.class);
          return false;
        }
        ScripPurchase p = b.buyVendorScrip(payment, "venetia", buy.amount());
        m.brokerScrip.remove(bs);
        m.spentBrokerScrip.add(bs);
        p.purchase()
            .change()
            .ifPresent(
                c -> {
                  assertThat(c.valueMillicents()).isEqualTo(bs.valueMillicents() - buy.amount());
                  m.brokerScrip.add(c);
                  m.ownerSecret.put(c.id().toLong(), secret);
                });
        VendorScripSale sale = p.sale();
        m.vendorScrip.add(sale);
        m.valueOf.put(sale.scrip().id().toLong(), sale.scrip().valueMillicents());
        m.ownerSecret.put(
            sale.scrip().id().toLong(),
            Payer.openSecret(
                secret, "venetia", sale.customerIdAtVendor(), sale.sealedCustomerSecret()));
        return false; // money in, outstanding and redeemed stay the same: asserted below
      }
      case ReplayBrokerScrip r -> {
        if (m.spentBrokerScrip.isEmpty()) {
          return false;
        }
        Scrip bs = m.spentBrokerScrip.get(r.which() % m.spentBrokerScrip.size());
        var payment =
            Payer.signed(
                bs,
                m.ownerSecret.get(bs.id().toLong()),
                Nonce.random(random),
                RequestDescriptor.of(ORIGIN, "POST", "/broker/vendor-scrip", new byte[] {2}));
        assertThatThrownBy(() -> b.buyVendorScrip(payment, "venetia", 1))
            .isInstanceOf(
                clock.instant().isBefore(bs.expiresAt())
                    ? SpentException.class
                    : ExpiredException.class);
        return false;
      }
      case SpendAtVendor s -> {
        if (m.vendorScrip.isEmpty()) {
          return false;
        }
        VendorScripSale sale = m.vendorScrip.get(s.which() % m.vendorScrip.size());
        long id = sale.scrip().id().toLong();
        if (m.spentAtVendor.contains(id)) {
          return false;
        }
        long price = Math.min(s.price(), sale.scrip().valueMillicents());
        var payment =
            Payer.signed(
                sale.scrip(),
                m.ownerSecret.get(id),
                Nonce.random(random),
                RequestDescriptor.of(ORIGIN, "GET", "/page", null));
        if (!clock.instant().isBefore(sale.scrip().expiresAt())) {
          assertThatThrownBy(() -> venetia.purchases.pay(payment, Pricer.fixed(price)))
              .isInstanceOf(ExpiredException.class);
          return false;
        }
        venetia.purchases.pay(payment, Pricer.fixed(price));
        m.spentAtVendor.add(id);
        m.received.add(id);
        return false;
      }
      case Settle s -> {
        List<Long> report = new ArrayList<>();
        int n = Math.min(s.count(), m.received.size());
        for (int i = 0; i < n; i++) {
          report.add(m.received.get(i));
        }
        if (s.duplicate() && !report.isEmpty()) {
          report.add(report.getFirst());
        }
        if (s.neverIssued()) {
          report.add(
              new ScripId(LicensingVendor.LICENSED_KEY, 9_000_000 + m.received.size()).toLong());
        }
        SettlementResult r = b.settle("venetia", report);
        long paidValue = 0;
        for (long id : r.accepted()) {
          assertThat(m.received).contains(id);
          paidValue += m.valueOf.get(id);
        }
        for (SettlementResult.Rejection x : r.rejected()) {
          assertThat(x.reason()).isIn(BrokerError.NOT_ISSUED, BrokerError.ALREADY_SETTLED);
        }
        m.received.removeAll(r.accepted());
        m.received.removeAll(report.subList(0, n));
        m.redeemed += paidValue;
        m.redeemedFromVendor += paidValue;
        // accepted IDs leave the model's received list; a settled ID is never paid again
        for (long id : r.accepted()) {
          m.valueOf.put(id, 0L);
        }
        return paidValue > 0;
      }
      case CloseMonth c -> {
        clock.advance(Duration.ofDays(31));
        Instant horizon = clock.instant().minus(Breakage.GRACE);
        List<Scrip> expired =
            m.brokerScrip.stream().filter(s -> !s.expiresAt().isAfter(horizon)).toList();
        m.brokerScrip.removeAll(expired);
        m.breakage += expired.stream().mapToLong(Scrip::valueMillicents).sum();
        for (var closed : b.closeStatements(clock.instant())) {
          m.owed.merge(closed.customerId(), -closed.collectedMillicents(), Long::sum);
        }
        return true;
      }
      case UnknownVendor u -> {
        if (m.customers.isEmpty()) {
          return false;
        }
        long id = m.customers.get(u.who() % m.customers.size()).customer().id();
        assertThatThrownBy(() -> b.sellVendorScrip(id, "nobody", u.amount(), null))
            .isInstanceOf(BrokerException.class);
        return false;
      }
    }
  }

  /**
   * Whether a sale of {@code amount} to customer {@code id} does not fit the model, after checking
   * that {@code sale} is then refused: {@code bad-amount} out of range, else {@code credit-limit}.
   */
  private static boolean refusedUnlessItFits(Model m, long id, long amount, Runnable sale) {
    if (m.fits(id, amount)) {
      return false;
    }
    expectCode(
        sale,
        amount < 1 || amount > BrokerConfig.MAX_AMOUNT_MILLICENTS
            ? BrokerError.BAD_AMOUNT
            : BrokerError.CREDIT_LIMIT);
    return true;
  }

  private static void expectCode(Runnable r, BrokerError code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static void check(Broker b, Model m, Database db, Op op) {
    BookTotals t = b.totals();
    assertThat(t.conserved()).as("conservation after %s: %s", op, t).isTrue();
    assertThat(b.books().auditProblems()).as("audit after %s", op).isZero();
    assertThat(t.moneyInMillicents()).as("money in after %s", op).isEqualTo(m.moneyIn);
    assertThat(t.redeemedMillicents()).as("redeemed after %s", op).isEqualTo(m.redeemed);
    assertThat(t.breakageMillicents()).as("breakage after %s", op).isEqualTo(m.breakage);
    long vendorOutstanding =
        m.vendorScrip.stream().mapToLong(s -> m.valueOf.get(s.scrip().id().toLong())).sum();
    long brokerOutstanding = m.brokerScrip.stream().mapToLong(Scrip::valueMillicents).sum();
    assertThat(t.outstandingMillicents())
        .as("outstanding after %s", op)
        .isEqualTo(vendorOutstanding + brokerOutstanding);
    long recorded =
        db.withHandle(
            h ->
                h.createQuery("SELECT COALESCE(SUM(value), 0) FROM issued_scrip WHERE state = 0")
                    .mapTo(Long.class)
                    .one());
    assertThat(recorded)
        .as("issued scrip records after %s", op)
        .isEqualTo(t.outstandingMillicents());
    for (Registration r : m.customers) {
      Customer c = r.customer();
      AccountView v = b.account(c.id());
      assertThat(-v.balanceMillicents())
          .as("owed by %s after %s", c, op)
          .isEqualTo(m.owed.get(c.id()));
      assertThat(-v.balanceMillicents())
          .as("limit of %s after %s", c, op)
          .isLessThanOrEqualTo(c.creditLimitMillicents());
    }
  }
}
