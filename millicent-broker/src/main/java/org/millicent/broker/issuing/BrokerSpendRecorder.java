package org.millicent.broker.issuing;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.store.RecordedSpend;
import org.millicent.bytes.ConstantTime;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;

/**
 * The spent list of broker scrip, kept in the broker's own books: a spend is made durable by the
 * same batch that records what it bought (the broker marks the {@code issued_scrip} row spent with
 * the request's fingerprint and price, and records the change issued), so a purchase and its spend
 * are one atomic step. Decisions are taken in memory by the core {@link SpentSet}, rebuilt from the
 * books at start and after a failed batch. An identical retry of a durable spend is recognised by
 * its fingerprint and gets the same change back; one that arrives while the first is still being
 * bought is told {@link InProgress}, so it waits for that outcome instead of being refused as
 * spent. Thread-safe.
 */
public final class BrokerSpendRecorder implements SpendRecorder {
  private final IssuedScripStore store;
  private final String broker;
  private final InstantSource clock;
  private final Map<ScripId, InFlight> inFlight = new ConcurrentHashMap<>();

  /** A claim not yet committed or released: its scrip's expiry and the claiming request. */
  private record InFlight(Instant expiresAt, byte[] fingerprint) {}

  private final Set<ScripId> durable = ConcurrentHashMap.newKeySet();
  private volatile SpentSet spent;

  /** The spent list of {@code broker}'s scrip in {@code db}. */
  public BrokerSpendRecorder(Database db, String broker, InstantSource clock) {
    this.store = new IssuedScripStore(db);
    this.broker = broker;
    this.clock = clock;
    reload();
  }

  /** Rebuilds the in-memory list from the books, keeping claims in flight. */
  public void reload() {
    SpentSet s = new SpentSet();
    store.spentUnexpired(broker, clock.millis()).forEach(s::mark);
    inFlight.forEach((id, f) -> s.mark(id, f.expiresAt()));
    spent = s;
  }

  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    if (spent.mark(id, expiresAt)) {
      inFlight.put(id, new InFlight(expiresAt, fingerprint.clone()));
      return new Claimed();
    }
    InFlight held = inFlight.get(id);
    if (held != null) {
      // The same request still being bought is not a double spend: it waits and replays.
      return ConstantTime.equal(held.fingerprint(), fingerprint)
          ? new InProgress()
          : new AlreadySpent();
    }
    Optional<RecordedSpend> row = store.spend(broker, id);
    if (row.isEmpty() || !ConstantTime.equal(row.get().fingerprint(), fingerprint)) {
      return new AlreadySpent();
    }
    Optional<Scrip> change = store.changeToken(broker, id.toLong()).map(ScripCodec::decode);
    return new Replayed(row.get().priceMillicents(), change);
  }

  /**
   * Notes that the books hold the spend of {@code id} durably; {@link #commit} then only confirms.
   */
  public void markDurable(ScripId id) {
    durable.add(id);
  }

  /**
   * Confirms a spend the broker already made durable with {@link #markDurable}.
   *
   * @throws IllegalStateException when the spend was not written to the books first
   */
  @Override
  public void commit(SpendRecord record) {
    if (!durable.remove(record.id())) {
      throw new IllegalStateException(
          "spend of broker scrip " + record.id() + " was not written to the books");
    }
    inFlight.remove(record.id());
  }

  /**
   * Gives up a claim in flight. A committed spend, or one the books already hold ({@link
   * #markDurable}), stays spent: unmarking it would let another request spend it again.
   */
  @Override
  public void release(ScripId id) {
    boolean written = durable.remove(id);
    if (inFlight.remove(id) != null && !written) {
      spent.unmark(id);
    }
  }

  @Override
  public int dropExpiredBefore(Instant horizon) {
    return spent.dropExpiredBefore(horizon);
  }
}
