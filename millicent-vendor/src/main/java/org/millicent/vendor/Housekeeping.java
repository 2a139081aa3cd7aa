package org.millicent.vendor;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's background work on its state: every minute, forget spends of expired scrip (as of
 * the state's clock) and log a payment summary; every {@link Licences#REFRESH_INTERVAL}, load the
 * licences other replicas changed. Two threads, so that a long sweep does not delay the licence
 * refresh past its bound; every {@link VendorActivity#FLUSH_SECONDS} seconds, add the dashboard's
 * activity counts to the database. Thread-safe; {@link #close()} stops both.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final String vendor;
  private final VendorState state;
  private final VendorMetrics metrics;
  private final ScheduledExecutorService sweeper;

  /** Whether the last licence refresh failed (only the refresh task touches it). */
  private volatile boolean licenceRefreshFailing;

  /** Whether the last activity flush failed. */
  private volatile boolean activityFlushFailing;

  private Housekeeping(String vendor, VendorState state, VendorMetrics metrics) {
    this.vendor = vendor;
    this.state = state;
    this.metrics = metrics;
    this.sweeper =
        Executors.newScheduledThreadPool(
            2, Thread.ofVirtual().name("vendor-sweeper-", 0).factory());
  }

  /** Starts the housekeeping of {@code state}. */
  static Housekeeping start(String vendor, VendorState state, VendorMetrics metrics) {
    Housekeeping h = new Housekeeping(vendor, state, metrics);
    var unusedSweep = h.sweeper.scheduleWithFixedDelay(h::sweep, 1, 1, TimeUnit.MINUTES);
    long refresh = Licences.REFRESH_INTERVAL.toMillis();
    var unusedFlush =
        h.sweeper.scheduleWithFixedDelay(
            h::flushActivity,
            VendorActivity.FLUSH_SECONDS,
            VendorActivity.FLUSH_SECONDS,
            TimeUnit.SECONDS);
    var unusedRefresh =
        h.sweeper.scheduleWithFixedDelay(
            h::refreshLicences, refresh, refresh, TimeUnit.MILLISECONDS);
    return h;
  }

  private void sweep() {
    try {
      state.sweep(state.clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired spends failed; will retry", e);
    }
    // One line a minute on what payments did, only when something happened.
    metrics.paymentSummary().ifPresent(line -> LOG.info("vendor {}: {}", vendor, line));
  }

  /**
   * Adds the dashboard's counts to the database; when that fails they stay for the next flush and
   * the failure is logged once until a flush works again.
   */
  void flushActivity() {
    try {
      metrics.activity().flushTo(state.store.activity());
      if (activityFlushFailing) {
        activityFlushFailing = false;
        LOG.info("writing the dashboard's activity counts works again");
      }
    } catch (RuntimeException e) {
      if (!activityFlushFailing) {
        activityFlushFailing = true;
        LOG.warn("writing the dashboard's activity counts failed; they are kept for a retry", e);
      }
    }
  }

  private void refreshLicences() {
    try {
      state.licences.refresh();
      if (licenceRefreshFailing) {
        licenceRefreshFailing = false;
        LOG.info("reading licences changed by other replicas works again");
      }
    } catch (RuntimeException e) {
      if (!licenceRefreshFailing) {
        licenceRefreshFailing = true; // once, not every few seconds while the database is away
        LOG.warn("reading licences changed by other replicas failed; retrying quietly", e);
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
