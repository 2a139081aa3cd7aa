package org.millicent.wallet.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;

/** How the wallet's tests open the wallet they buy with. Thread-safe (no state). */
public final class TestWallets {
  private TestWallets() {}

  /**
   * Opens (or, after a close, reopens as a restart would) the wallet in {@code dir/wallet}, on the
   * test's {@code clock}, with a 10-second timeout for each call to the test servers.
   */
  public static Wallet open(Path dir, InstantSource clock) {
    return Wallet.open(
        WalletOptions.defaults(dir.resolve("wallet"))
            .withClock(clock)
            .withTimeout(Duration.ofSeconds(10)));
  }
}
