package org.millicent.vendor;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.ErrorCode;
import org.millicent.failure.MillicentException;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.MasterKeyRecord;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.VendorKeyStore;

/**
 * Rotation and retirement of the vendor's own master scrip secrets (docs/VENDOR-KEYS.md;
 * docs/PROTOCOL.md, "Master scrip secrets"), for the admin endpoints of a running vendor and for
 * {@code millicent vendor keys} on a stopped vendor's data folder.
 *
 * <p>Rotating gives the lowest key id below {@value Licences#FIRST_LICENCE_ID} never used before a
 * fresh secret and makes it primary; the old primary turns active: it mints nothing more and keeps
 * validating, so its scrip still pays (with change under the new key) and still renews, until
 * {@code expires_by}, by which every scrip minted under it has expired. Retiring an active key
 * makes its scrip refused as {@code unknown-key}; before {@code expires_by} that destroys the value
 * customers still hold, so it is refused unless forced (a leaked key). The primary is never
 * retired, and a licence's keys are retired by revoking the licence.
 *
 * <p>Each change is one transaction that bumps the keys version first (serialising it with licence
 * changes across replicas) and writes only the rows it changes; every replica sharing the database
 * reloads the vector within {@link Licences#REFRESH_INTERVAL}, and at once when scrip under a key
 * it does not know arrives. Thread-safe.
 */
public final class VendorKeys implements AutoCloseable {
  /**
   * Added to the scrip lifetime for {@code expires_by}: replicas switch to a new primary up to the
   * refresh interval after the rotation, and their clocks may differ a little.
   */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

  /** One key of the vector as an operator sees it; no secret. */
  public record Key(
      int keyId,
      KeyState state,
      @Nullable Instant createdAt,
      @Nullable Instant demotedAt,
      @Nullable Instant expiresBy,
      @Nullable Instant retiredAt,
      @Nullable String licenceId,
      @Nullable String broker,
      long serialsReservedTo,
      long spendsRecorded) {
    /**
     * Whether the vendor itself mints (or minted) under this key, rather than a licensed broker.
     */
    public boolean own() {
      return licenceId == null;
    }

    /**
     * The key as the admin endpoints show it in JSON (docs/VENDOR-KEYS.md): snake-case names, the
     * state in lower case, instants in ISO-8601 or null. Never a secret.
     */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key_id", keyId);
      m.put("state", state.name().toLowerCase(Locale.ROOT));
      m.put("created_at", text(createdAt));
      m.put("demoted_at", text(demotedAt));
      m.put("expires_by", text(expiresBy));
      m.put("retired_at", text(retiredAt));
      m.put("licence_id", licenceId);
      m.put("broker", broker);
      m.put("serials_reserved_to", serialsReservedTo);
      m.put("spends_recorded", spendsRecorded);
      return m;
    }

    private static @Nullable String text(@Nullable Instant t) {
      return t == null ? null : t.toString();
    }
  }

  /** A rotation: the new primary and the key it replaced, now active. */
  public record Rotation(Key primary, Key previous) {}

  /**
   * A change refused, with a stable code ({@code not-found}, {@code conflict}, {@code
   * bad-request}).
   */
  public static final class Refused extends MillicentException {
    private static final long serialVersionUID = 1L;
    private final ProblemCode problem;

    Refused(ProblemCode problem, String detail) {
      super(detail, null);
      this.problem = problem;
    }

    /** The stable machine code, as in the problem document of the admin endpoints. */
    @Override
    public ErrorCode code() {
      return problem;
    }

    ProblemCode problem() {
      return problem;
    }
  }

  private final GatewayStore store;
  private final VendorKeyStore keyStore;
  private final Duration lifetime;
  private final SecureRandom random;
  private final InstantSource clock;
  private final Runnable changed;
  private final Runnable owned;

  /**
   * Keys over {@code store} and {@code keyStore}; {@code changed} runs after each change (a running
   * vendor reloads its vectors) and {@code owned} on {@link #close} (what was opened for them).
   */
  VendorKeys(
      GatewayStore store,
      VendorKeyStore keyStore,
      Duration lifetime,
      SecureRandom random,
      InstantSource clock,
      Runnable changed,
      Runnable owned) {
    this.store = store;
    this.keyStore = keyStore;
    this.lifetime = lifetime;
    this.random = random;
    this.clock = clock;
    this.changed = changed;
    this.owned = owned;
  }

  /** The keys of a running vendor: a change is loaded into its vectors before the call returns. */
  static VendorKeys of(VendorConfig config, VendorState state, SecureRandom random) {
    return new VendorKeys(
        state.store,
        state.keyStore,
        // The longest lifetime the vendor ever started with (raised at this start): scrip minted
        // before a restart with a shorter lifetime is still valid for the longer one.
        state.store.raiseScripLifetimeMark(config.scripLifetime()),
        random,
        state.clock,
        state.licences::reload,
        () -> {});
  }

  /**
   * Opens the keys of a vendor that is not running on {@code dataDir}: takes the data folder's lock
   * (so the vendor cannot start meanwhile) and opens the configured database. On PostgreSQL,
   * replicas running elsewhere on the same database take the change within {@link
   * Licences#REFRESH_INTERVAL}.
   *
   * @throws Refused {@code conflict} when a vendor runs on the folder (its admin endpoints are the
   *     way then), {@code not-found} when the folder holds no vendor database
   * @throws org.millicent.storage.StorageException when the database cannot be opened
   */
  public static VendorKeys offline(VendorConfig config, Path dataDir) {
    return OfflineVendorKeys.open(config, dataDir);
  }

  /**
   * Every key of the vector, by key id, with its dates, its licence if a broker mints under it, and
   * how much it was used.
   *
   * @throws org.millicent.storage.StorageException when the database fails
   */
  public List<Key> list() {
    List<GatewayStore.Licence> licences = store.licences();
    List<Key> out = new ArrayList<>();
    for (MasterKeyRecord r : keyStore.vectors().describeMasterSecrets()) {
      out.add(view(r, licences));
    }
    return out;
  }

  private Key view(MasterKeyRecord r, List<GatewayStore.Licence> licences) {
    GatewayStore.Licence licence =
        licences.stream().filter(l -> l.keyIds().contains(r.keyId())).findFirst().orElse(null);
    VendorKeyStore.KeyUsage usage = keyStore.usage(r.keyId());
    return new Key(
        r.keyId(),
        r.state(),
        r.createdAt(),
        r.demotedAt(),
        r.expiresBy(),
        r.retiredAt(),
        licence == null ? null : licence.licenceId(),
        licence == null ? null : licence.broker(),
        usage.serialsReservedTo(),
        usage.spendsRecorded());
  }

  private Key key(int keyId) {
    return list().stream().filter(k -> k.keyId() == keyId).findFirst().orElseThrow();
  }

  /**
   * Rotates: a fresh secret under the lowest own key id never used becomes primary, and the old
   * primary turns active until {@code expires_by} (now + the scrip lifetime + {@link
   * #EXPIRY_MARGIN}).
   *
   * @return the new primary key and the previous one
   * @throws Refused {@code conflict} when every own key id (0..{@value
   *     Licences#FIRST_LICENCE_ID}-1) has been used
   * @throws org.millicent.storage.StorageException when the database fails (nothing is changed)
   */
  public Rotation rotate() {
    SecretBytes secret = SecretBytes.random(MasterSecrets.SECRET_LENGTH, random);
    int[] ids =
        store.changeKeys(
            h -> {
              // Read after the version bump: what other replicas or licences use is in use.
              Set<Integer> used = GatewayStore.usedKeyIds(h);
              int k = 0;
              while (k < Licences.FIRST_LICENCE_ID && used.contains(k)) {
                k++;
              }
              if (k == Licences.FIRST_LICENCE_ID) {
                throw new Refused(
                    ProblemCode.CONFLICT,
                    "every own key id 0.."
                        + (Licences.FIRST_LICENCE_ID - 1)
                        + " has been used and key ids are never reused: no rotation is left");
              }
              Instant expiresBy =
                  clock
                      .instant()
                      .plus(lifetime)
                      .plus(EXPIRY_MARGIN)
                      .truncatedTo(ChronoUnit.SECONDS);
              return new int[] {k, keyStore.vectors().rotate(h, k, secret, expiresBy)};
            });
    changed.run();
    return new Rotation(key(ids[0]), key(ids[1]));
  }

  /**
   * Retires an active own key: scrip under it is refused as {@code unknown-key} from now on (at
   * other replicas within {@link Licences#REFRESH_INTERVAL}). Retiring a retired key changes
   * nothing.
   *
   * @param force retire even though scrip under the key may still be valid (a leaked key): the
   *     customers holding it lose its value
   * @return the key as it is now
   * @throws Refused {@code not-found} for a key id not in the vector, {@code bad-request} for one
   *     outside 0..255, {@code conflict} for the primary, a licence's key, or an active key whose
   *     scrip may still be valid without {@code force}
   * @throws org.millicent.storage.StorageException when the database fails (nothing is changed)
   */
  public Key retire(int keyId, boolean force) {
    if (keyId < 0 || keyId > 255) {
      throw new Refused(ProblemCode.BAD_REQUEST, "a key id is 0..255, found " + keyId);
    }
    Instant now = clock.instant();
    boolean retired =
        store.changeKeys(
            h -> {
              MasterKeyRecord r =
                  keyStore.vectors().describeMasterSecrets(h).stream()
                      .filter(x -> x.keyId() == keyId)
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new Refused(
                                  ProblemCode.NOT_FOUND,
                                  "key id " + keyId + " is not in the vendor's key vector"));
              GatewayStore.Licence licence =
                  GatewayStore.licences(h).stream()
                      .filter(l -> l.keyIds().contains(keyId))
                      .findFirst()
                      .orElse(null);
              if (licence != null) {
                throw new Refused(
                    ProblemCode.CONFLICT,
                    "key id "
                        + keyId
                        + " is licence "
                        + licence.licenceId()
                        + "'s (broker "
                        + licence.broker()
                        + "): revoke the licence to retire its keys");
              }
              return switch (r.state()) {
                case RETIRED -> false;
                case PRIMARY ->
                    throw new Refused(
                        ProblemCode.CONFLICT,
                        "key id "
                            + keyId
                            + " is the primary key, which mints all new scrip and change: rotate"
                            + " first, then retire it once its scrip has expired");
                case ACTIVE -> {
                  if (!force && (r.expiresBy() == null || now.isBefore(r.expiresBy()))) {
                    throw new Refused(
                        ProblemCode.CONFLICT,
                        "scrip under key id "
                            + keyId
                            + (r.expiresBy() == null
                                ? " may still be valid (its expiry is not recorded)"
                                : " may be valid until " + r.expiresBy())
                            + ": retiring it now would destroy the value customers hold; retire"
                            + " it after that, or force it (a leaked key)");
                  }
                  keyStore.vectors().setMasterState(h, keyId, KeyState.RETIRED);
                  yield true;
                }
              };
            });
    if (retired) {
      changed.run();
    }
    return key(keyId);
  }

  /** Closes the database and releases the data folder when opened {@link #offline}. */
  @Override
  public void close() {
    owned.run();
  }
}
