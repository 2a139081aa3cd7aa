package org.millicent.cli.wallet;

import java.io.PrintWriter;
import org.millicent.wallet.RecoveryReport;
import org.millicent.wallet.Wallet;

/** Re-sends payments left in flight before a command that talks to the network. Stateless. */
final class Recovery {
  private Recovery() {}

  /** Recovers and says what happened on {@code err}, when anything was in flight. */
  static void run(Wallet w, PrintWriter err) throws InterruptedException {
    if (w.inFlightCount() == 0) {
      return;
    }
    RecoveryReport r = w.recover();
    r.lines().forEach(l -> err.println("recovery: " + l));
    err.flush();
  }
}
