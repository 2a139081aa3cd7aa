package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.testing.TestWallets;

/** What the wallet does on its own, with no vendor or broker to talk to (those are in the ITs). */
class WalletTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));
  private Wallet wallet;

  @BeforeEach
  void open() {
    wallet = TestWallets.open(dir, clock);
  }

  @AfterEach
  void close() {
    wallet.close();
  }

  @Test
  void walletFolder_isCreatedReadableByTheOwnerOnly() throws IOException {
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(dir.resolve("wallet"))))
        .isEqualTo("rwx------");
  }

  @Test
  void registeringAtABrokerThatIsNotRunning_saysSoAndWhatToDo() throws IOException {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closed);

    assertThatThrownBy(() -> wallet.register(nowhere, "alice"))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("could not reach the broker at http://127.0.0.1:" + closed)
        .hasMessageContaining("Is the broker running?")
        .hasMessageContaining("millicent broker serve")
        .hasMessageNotContaining("null");
  }

  @Test
  void vouch_withAUrlThatIsNotHttp_orABadVendorId_isABadRequest() {
    assertThatThrownBy(() -> wallet.vouch("venetia", URI.create("ftp://venetia.example")))
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.BAD_REQUEST);
    assertThatThrownBy(() -> wallet.vouch("Venetia Shop!", URI.create("http://127.0.0.1:1")))
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.BAD_REQUEST);
    assertThat(wallet.vouchedOrigins()).isEmpty();
  }
}
