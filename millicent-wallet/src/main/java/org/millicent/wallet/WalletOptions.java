package org.millicent.wallet;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a wallet is opened and how it behaves; budgets are kept in the wallet itself ({@link
 * Wallet#setBudget}). Immutable; the {@code with...} methods return changed copies.
 *
 * @param dir the folder holding {@code wallet.db} (created 0700, the file 0600)
 * @param clock the time, for expiry and budgets
 * @param random randomness for nonces and sealing
 * @param timeout how long to wait for each HTTP response
 * @param renewWithin scrip that expires within this is renewed at its vendor before it is used
 * @param minRemainingLife scrip that expires within this is not paid with (the clocks of wallet and
 *     vendor may differ)
 * @param minBuyMillicents the least vendor scrip bought from a broker at once
 * @param buyPriceMultiple vendor scrip is bought for at least this many times the price
 * @param preferPrivate whether to use the private variant when the vendor takes it
 */
public record WalletOptions(
    Path dir,
    InstantSource clock,
    SecureRandom random,
    Duration timeout,
    Duration renewWithin,
    Duration minRemainingLife,
    long minBuyMillicents,
    int buyPriceMultiple,
    boolean preferPrivate) {

  /** Validates. */
  public WalletOptions {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    requirePositive(timeout, "timeout");
    requirePositive(renewWithin, "renewWithin");
    requirePositive(minRemainingLife, "minRemainingLife");
    if (minBuyMillicents < 1) {
      throw new IllegalArgumentException("minBuyMillicents must be >= 1, was " + minBuyMillicents);
    }
    if (buyPriceMultiple < 1) {
      throw new IllegalArgumentException("buyPriceMultiple must be >= 1, was " + buyPriceMultiple);
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  /**
   * Defaults for a wallet in {@code dir}: system clock, 30-second timeout, renew within an hour of
   * expiry, never pay with scrip that has under a minute left, buy at least 10¢ or ten times the
   * price, signed variant.
   */
  public static WalletOptions defaults(Path dir) {
    return new WalletOptions(
        dir,
        InstantSource.system(),
        new SecureRandom(),
        Duration.ofSeconds(30),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        10_000,
        10,
        false);
  }

  /**
   * {@code $HOME/.millicent/wallet}: the default wallet folder. It follows the {@code HOME}
   * environment variable, as shells and other tools do (the JVM's {@code user.home} comes from the
   * password database and ignores it), and falls back to {@code user.home} when {@code HOME} is
   * unset or blank.
   */
  public static Path defaultDir() {
    return defaultDir(System.getenv("HOME"), System.getProperty("user.home"));
  }

  /** The default wallet folder given the {@code HOME} variable and the JVM's {@code user.home}. */
  static Path defaultDir(String home, String userHome) {
    String base = home != null && !home.isBlank() ? home : userHome;
    return Path.of(base, ".millicent", "wallet");
  }

  /** A copy with another clock. */
  public WalletOptions withClock(InstantSource c) {
    return new WalletOptions(
        dir,
        c,
        random,
        timeout,
        renewWithin,
        minRemainingLife,
        minBuyMillicents,
        buyPriceMultiple,
        preferPrivate);
  }

  /** A copy with another timeout. */
  public WalletOptions withTimeout(Duration t) {
    return new WalletOptions(
        dir,
        clock,
        random,
        t,
        renewWithin,
        minRemainingLife,
        minBuyMillicents,
        buyPriceMultiple,
        preferPrivate);
  }

  /** A copy with another renewal window. */
  public WalletOptions withRenewWithin(Duration d) {
    return new WalletOptions(
        dir,
        clock,
        random,
        timeout,
        d,
        minRemainingLife,
        minBuyMillicents,
        buyPriceMultiple,
        preferPrivate);
  }

  /** A copy with another buying policy. */
  public WalletOptions withBuyPolicy(long minBuy, int priceMultiple) {
    return new WalletOptions(
        dir,
        clock,
        random,
        timeout,
        renewWithin,
        minRemainingLife,
        minBuy,
        priceMultiple,
        preferPrivate);
  }

  /** A copy that prefers (or not) the private variant. */
  public WalletOptions withPreferPrivate(boolean p) {
    return new WalletOptions(
        dir,
        clock,
        random,
        timeout,
        renewWithin,
        minRemainingLife,
        minBuyMillicents,
        buyPriceMultiple,
        p);
  }

  /** How much vendor scrip to buy when a payment of {@code priceMillicents} finds too little. */
  public long buyAmountFor(long priceMillicents) {
    long multiple =
        priceMillicents > Long.MAX_VALUE / buyPriceMultiple
            ? Long.MAX_VALUE
            : priceMillicents * buyPriceMultiple;
    return Math.max(minBuyMillicents, multiple);
  }
}
