package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * What every {@link ExchangeRecorder} must do: a fresh store knows no exchange; the outputs
 * recorded for a fingerprint come back whole and in order, to any copy of the fingerprint; a second
 * record of the same fingerprint keeps the first (also when threads race); records are forgotten
 * only once their {@code forgetAfter} is before the horizon. Durable recorders extend {@link
 * DurableExchangeRecorderContract}.
 *
 * @param <R> the recorder under test
 */
public abstract class ExchangeRecorderContract<R extends ExchangeRecorder> {
  /** When the records of the tests may be forgotten, unless a test says otherwise. */
  protected static final Instant FORGET_AFTER = Instant.parse("2031-01-01T00:00:00Z");

  /** The recorder under test, opened before each test. */
  protected R recorder;

  /** Creates a contract test. */
  protected ExchangeRecorderContract() {}

  /**
   * Opens the recorder under test. The first call of a test creates an empty store; later calls
   * open another recorder on the same store.
   *
   * @return a recorder over the test's store
   */
  protected abstract R open();

  /**
   * Frees what the test's store holds (its database) after the test.
   *
   * @throws Exception when closing fails
   */
  protected void closeStore() throws Exception {}

  @BeforeEach
  final void openRecorder() {
    recorder = open();
  }

  @AfterEach
  final void closeRecorder() throws Exception {
    closeStore();
  }

  /** A fingerprint: 32 bytes derived from {@code n}. */
  protected static byte[] fingerprint(int n) {
    byte[] f = new byte[32];
    for (int i = 0; i < f.length; i++) {
      f[i] = (byte) (n * 31 + i);
    }
    return f;
  }

  /**
   * A piece of scrip worth {@code value} with serial {@code serial} (its certificate is not
   * checked: a recorder keeps what the exchange service minted, it does not verify it).
   */
  protected static Scrip scrip(long serial, long value) {
    return new Scrip(
        new ScripBody(
            "venetia",
            value,
            new ScripId(3, serial),
            0x0100_0000_0000_002AL,
            Instant.parse("2030-06-01T12:00:00Z"),
            ScripProperties.NONE,
            SpendMode.BOUND),
        Certificate.of(new byte[Certificate.LENGTH]));
  }

  /** The tokens of {@code found}, to compare scrip by what it is. */
  protected static Optional<List<String>> tokens(Optional<List<Scrip>> found) {
    return found.map(l -> l.stream().map(Scrip::token).toList());
  }

  private static List<String> tokens(List<Scrip> scrip) {
    return scrip.stream().map(Scrip::token).toList();
  }

  @Test
  void find_onAFreshStore_isEmpty() {
    assertThat(recorder.find(fingerprint(1))).isEmpty();
  }

  @Test
  void record_thenFind_givesTheOutputsInTheirOrder() {
    List<Scrip> outputs = List.of(scrip(7, 300), scrip(5, 700), scrip(6, 1));
    recorder.record(fingerprint(1), FORGET_AFTER, outputs);
    assertThat(tokens(recorder.find(fingerprint(1)))).contains(tokens(outputs));
  }

  @Test
  void find_byACopyOfTheFingerprint_findsTheRecord_andOtherFingerprintsNothing() {
    recorder.record(fingerprint(1), FORGET_AFTER, List.of(scrip(1, 10)));
    byte[] copy = fingerprint(1).clone();
    assertThat(tokens(recorder.find(copy))).contains(List.of(scrip(1, 10).token()));
    byte[] flipped = fingerprint(1);
    flipped[31] ^= 1;
    assertThat(recorder.find(flipped)).isEmpty();
    assertThat(recorder.find(fingerprint(2))).isEmpty();
  }

  @Test
  void record_sameFingerprintTwice_keepsTheFirst() {
    recorder.record(fingerprint(1), FORGET_AFTER, List.of(scrip(1, 10)));
    recorder.record(fingerprint(1), FORGET_AFTER, List.of(scrip(2, 5), scrip(3, 5)));
    assertThat(tokens(recorder.find(fingerprint(1)))).contains(List.of(scrip(1, 10).token()));
  }

  @Test
  void record_ofOtherFingerprints_isIndependent() {
    recorder.record(fingerprint(1), FORGET_AFTER, List.of(scrip(1, 10)));
    recorder.record(fingerprint(2), FORGET_AFTER, List.of(scrip(2, 20)));
    assertThat(tokens(recorder.find(fingerprint(1)))).contains(List.of(scrip(1, 10).token()));
    assertThat(tokens(recorder.find(fingerprint(2)))).contains(List.of(scrip(2, 20).token()));
  }

  @Test
  void dropExpiredBefore_dropsOnlyRecordsToForgetBeforeTheHorizon() {
    Instant horizon = Instant.parse("2030-01-01T00:00:00Z");
    recorder.record(fingerprint(1), horizon.minus(Duration.ofSeconds(1)), List.of(scrip(1, 1)));
    recorder.record(fingerprint(2), horizon, List.of(scrip(2, 2)));
    recorder.record(fingerprint(3), horizon.plus(Duration.ofDays(1)), List.of(scrip(3, 3)));

    assertThat(recorder.dropExpiredBefore(horizon)).isEqualTo(1);

    assertThat(recorder.find(fingerprint(1))).isEmpty();
    assertThat(recorder.find(fingerprint(2))).isPresent();
    assertThat(recorder.find(fingerprint(3))).isPresent();
    assertThat(recorder.dropExpiredBefore(horizon)).isZero();
  }

  @Test
  void concurrentRecordsOfOneFingerprint_allFindTheSameOneRecord() throws Exception {
    int threads = 8;
    CyclicBarrier together = new CyclicBarrier(threads);
    Set<List<String>> found = ConcurrentHashMap.newKeySet();
    SpendClaimContract.concurrently(
        threads,
        thread -> {
          try {
            together.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          recorder.record(fingerprint(9), FORGET_AFTER, List.of(scrip(100 + thread, 50)));
          found.add(tokens(recorder.find(fingerprint(9)).orElseThrow()));
        });
    assertThat(found).hasSize(1);
    assertThat(found.iterator().next()).hasSize(1);
  }
}
