package org.millicent.purchase;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.scrip.Scrip;

/**
 * An exchange recorder in memory, lost on restart: for tests, benchmarks and one-shot processes.
 * Thread-safe.
 */
public final class InMemoryExchangeRecorder implements ExchangeRecorder {
  private record Entry(Instant forgetAfter, List<Scrip> outputs) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** An empty recorder. */
  public InMemoryExchangeRecorder() {}

  @Override
  public Optional<List<Scrip>> find(byte[] fingerprint) {
    Entry e = entries.get(HexFormat.of().formatHex(fingerprint));
    return e == null ? Optional.empty() : Optional.of(e.outputs());
  }

  @Override
  public void record(byte[] fingerprint, Instant forgetAfter, List<Scrip> outputs) {
    entries.putIfAbsent(
        HexFormat.of().formatHex(fingerprint), new Entry(forgetAfter, List.copyOf(outputs)));
  }

  @Override
  public int dropExpiredBefore(Instant horizon) {
    int before = entries.size();
    entries.values().removeIf(e -> e.forgetAfter().isBefore(horizon));
    return before - entries.size();
  }
}
