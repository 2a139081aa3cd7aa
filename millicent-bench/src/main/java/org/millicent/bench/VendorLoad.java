package org.millicent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * The load generator of {@code millicent bench vendor}: workers that each send a free request, then
 * a paid one, alternately, as fast as the vendor answers, and record every latency. A paid request
 * is a full customer round trip: a fresh nonce and request MAC, the vendor's validation, spend and
 * change, and the reply MAC checked by the client; the change pays the next request, so a worker's
 * one large piece of scrip lasts the whole run. Thread-safe: each worker owns its state.
 */
final class VendorLoad {

  /** Where a worker's scrip comes from and whose secret signs it. */
  record Wallet(Scrip scrip, CustomerSecret secret) {}

  /** Latencies of one kind of request, in nanoseconds. */
  static final class Samples {
    private long[] nanos = new long[1 << 12];
    private int n;

    void add(long v) {
      if (n == nanos.length) {
        nanos = Arrays.copyOf(nanos, n * 2);
      }
      nanos[n++] = v;
    }

    void addAll(Samples o) {
      for (int i = 0; i < o.n; i++) {
        add(o.nanos[i]);
      }
    }

    int count() {
      return n;
    }

    /** The {@code q} quantile in milliseconds (nearest rank). */
    double percentileMillis(double q) {
      if (n == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(nanos, n);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * n) - 1;
      return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }
  }

  /**
   * What a run measured; {@code perPhase[k]} counts the requests recorded in phase k and {@code
   * phaseSeconds} is the recorded time of each phase.
   */
  record Result(
      Samples free,
      Samples paid,
      long errors,
      double freeSeconds,
      double paidSeconds,
      long[] perPhase,
      double phaseSeconds) {
    double freePerSecond() {
      return free.count() / freeSeconds;
    }

    double paidPerSecond() {
      return paid.count() / paidSeconds;
    }
  }

  private final URI base;
  private final String freePath;
  private final String paidPath;
  private final AtomicLong doneFree = new AtomicLong();
  private final AtomicLong donePaid = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private java.util.concurrent.atomic.AtomicLongArray perPhase =
      new java.util.concurrent.atomic.AtomicLongArray(0);
  private final AtomicReference<String> firstError = new AtomicReference<>();

  VendorLoad(URI base, String freePath, String paidPath) {
    this.base = base;
    this.freePath = freePath;
    this.paidPath = paidPath;
  }

  long errors() {
    return errors.get();
  }

  long done() {
    return doneFree.get() + donePaid.get();
  }

  @Nullable String firstError() {
    return firstError.get();
  }

  /**
   * Runs {@code wallets.size()} workers: a warm-up (not recorded) in which each worker alternates
   * free and paid requests, then {@code phases} measured phases of {@code phase} each, alternately
   * free only and paid only, so that each kind has the server to itself while it is measured and
   * slow drift on a shared machine (JIT, GC, other load) falls on both kinds alike. The first
   * {@code settle} of every phase is not recorded either: a server's JIT recompiles when the mix of
   * requests changes, and that one-off cost belongs to neither kind.
   *
   * @param paidFirst whether the first measured phase is paid only (else free only)
   * @param atMark called with j = 2k at the end of phase k's settling time and with j = 2k + 1 at
   *     the end of phase k, from the thread that called run, e.g. to read the server's CPU time
   * @param progress called about five times a second with the fraction done (0..1)
   */
  Result run(
      List<Wallet> wallets,
      Duration warmup,
      int phases,
      Duration phase,
      Duration settle,
      boolean paidFirst,
      java.util.function.IntConsumer atMark,
      java.util.function.DoubleConsumer progress)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long phaseNanos = phase.toNanos();
    long settleNanos = settle.toNanos();
    if (settleNanos < 0 || settleNanos >= phaseNanos) {
      throw new IllegalArgumentException("settle must be shorter than a phase");
    }
    long end = measureFrom + phases * phaseNanos;
    long[] marks = new long[2 * phases];
    for (int k = 0; k < phases; k++) {
      marks[2 * k] = measureFrom + k * phaseNanos + settleNanos;
      marks[2 * k + 1] = measureFrom + (k + 1) * phaseNanos;
    }
    Window window = new Window(measureFrom, phaseNanos, settleNanos, end);
    perPhase = new java.util.concurrent.atomic.AtomicLongArray(phases);
    List<Samples> frees = new ArrayList<>();
    List<Samples> paids = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(wallets.size());
    for (Wallet w : wallets) {
      Samples free = new Samples();
      Samples paid = new Samples();
      frees.add(free);
      paids.add(paid);
      Thread.ofVirtual()
          .name("bench-worker")
          .start(
              () -> {
                try {
                  work(w, free, paid, window, paidFirst ? 0 : 1);
                } finally {
                  finished.countDown();
                }
              });
    }
    int mark = 0;
    while (true) {
      long now = System.nanoTime();
      while (mark < marks.length && now >= marks[mark]) {
        atMark.accept(mark++);
      }
      long untilMark = mark < marks.length ? marks[mark] - now : Long.MAX_VALUE;
      long wait = Math.max(1, Math.min(200_000_000L, untilMark));
      if (finished.await(wait, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        break;
      }
      progress.accept(Math.min(1.0, (System.nanoTime() - start) / (double) (end - start)));
    }
    while (mark < marks.length) {
      atMark.accept(mark++);
    }
    progress.accept(1.0);
    Samples free = new Samples();
    Samples paid = new Samples();
    frees.forEach(free::addAll);
    paids.forEach(paid::addAll);
    int paidPhases = paidFirst ? phases - phases / 2 : phases / 2;
    int freePhases = phases - paidPhases;
    long recorded = phaseNanos - settleNanos;
    long[] counts = new long[phases];
    for (int k = 0; k < phases; k++) {
      counts[k] = perPhase.get(k);
    }
    return new Result(
        free,
        paid,
        errors.get(),
        freePhases * recorded / 1e9,
        paidPhases * recorded / 1e9,
        counts,
        recorded / 1e9);
  }

  /** When requests are recorded: inside a phase, after its settling time. */
  private record Window(long measureFrom, long phaseNanos, long settleNanos, long end) {
    /** -1 in the warm-up, else the index of the measured phase {@code t} falls in. */
    long phaseOf(long t) {
      return t < measureFrom ? -1 : (t - measureFrom) / phaseNanos;
    }

    /** Whether a request sent at t0 and answered at t1 in phase {@code phase} is recorded. */
    boolean records(long phase, long t0, long t1) {
      return phase >= 0
          && t0 >= measureFrom + phase * phaseNanos + settleNanos
          && phaseOf(t1) == phase
          && t1 <= end;
    }
  }

  private void work(Wallet wallet, Samples free, Samples paid, Window window, int paidParity) {
    Scrip scrip = wallet.scrip();
    // One generator per worker: a shared NativePRNG reads /dev/urandom under one lock.
    SecureRandom random = newRandom();
    RequestDescriptor paidDescriptor =
        RequestDescriptor.of(Authority.of(base), "GET", paidPath, new byte[0]);
    boolean warmPaid = false;
    try (RawHttpConnection http = new RawHttpConnection(base)) {
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= window.end()) {
          return;
        }
        long phase = window.phaseOf(t0);
        boolean paying;
        if (phase < 0) {
          warmPaid = !warmPaid;
          paying = warmPaid;
        } else {
          paying = phase % 2 == paidParity;
        }
        if (!paying) {
          RawHttpConnection.Response r = http.get(freePath, null);
          long t1 = System.nanoTime();
          if (r.status() != 200) {
            fail("free request answered " + r.status());
            return;
          }
          if (window.records(phase, t0, t1)) {
            free.add(t1 - t0);
            doneFree.incrementAndGet();
            perPhase.incrementAndGet((int) phase);
          }
          continue;
        }
        Payment.Signed p =
            Payer.signed(scrip, wallet.secret(), Nonce.random(random), paidDescriptor);
        RawHttpConnection.Response pr = http.get(paidPath, PaymentHeader.format(p));
        if (pr.status() != 200) {
          fail(
              "paid request answered "
                  + pr.status()
                  + ": "
                  + new String(pr.body(), java.nio.charset.StandardCharsets.UTF_8));
          return;
        }
        // The raw connection keeps header names in lower case.
        String receiptHeader = pr.headers().get(Headers.RECEIPT.toLowerCase(java.util.Locale.ROOT));
        if (receiptHeader == null) {
          fail("paid request answered 200 without " + Headers.RECEIPT);
          return;
        }
        Receipt receipt = Receipt.parse(receiptHeader);
        Optional<Scrip> next =
            Payer.verifySignedReceipt(wallet.secret(), p.mac(), 200, receipt, pr.body());
        long t1 = System.nanoTime();
        if (next.isEmpty()) {
          fail("the scrip ran out: start with more value");
          return;
        }
        scrip = next.get();
        if (window.records(phase, t0, t1)) {
          paid.add(t1 - t0);
          donePaid.incrementAndGet();
          perPhase.incrementAndGet((int) phase);
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e.toString());
    }
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  private void fail(String why) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, why);
  }

  /**
   * Obtains one piece of scrip per worker from a remote vendor as a broker does: its own customer
   * secret ({@code GET /millicent/broker/account}) and a warehouse lot bound to it.
   */
  static List<Wallet> fromWarehouse(URI base, String brokerToken, int workers, long valueMillicents)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    HttpResponse<byte[]> account =
        http.send(
            HttpRequest.newBuilder(base.resolve("/millicent/broker/account"))
                .header("Authorization", "Bearer " + brokerToken)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (account.statusCode() != 200) {
      throw new IOException("broker account answered " + account.statusCode());
    }
    CustomerSecret secret =
        CustomerSecret.of(
            Base64Url.decode(json.readTree(account.body()).get("customer_secret").asText()));
    HttpResponse<byte[]> lot =
        http.send(
            HttpRequest.newBuilder(base.resolve("/millicent/broker/warehouse"))
                .header("Authorization", "Bearer " + brokerToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        json.writeValueAsBytes(
                            Map.of("count", workers, "value_millicents", valueMillicents))))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (lot.statusCode() != 200) {
      throw new IOException("warehouse answered " + lot.statusCode());
    }
    List<Wallet> out = new ArrayList<>();
    for (JsonNode t : json.readTree(lot.body()).get("scrip")) {
      out.add(new Wallet(ScripCodec.fromToken(t.asText()), secret));
    }
    return out;
  }
}
