package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.testing.Impostor;
import org.millicent.wallet.testing.RealBroker;
import org.millicent.wallet.testing.RealVendor;
import org.millicent.wallet.testing.TestWallets;

/**
 * The wallet pays a vendor's scrip only at origins vouched for the vendor (issue 12, part 3): a
 * server that merely answers 402 in the vendor's name gets nothing, and the vendor's name keeps
 * pointing where the broker says it is.
 */
class VouchedOriginsIT {
  private static final long PRICE = 100;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));
  private RealBroker broker;
  private RealVendor vendor;
  private Impostor impostor;
  private Wallet wallet;

  @BeforeEach
  void start() throws IOException {
    broker = new RealBroker("bob", dir.resolve("bob"), clock);
    vendor = RealVendor.start("venetia", PRICE, dir.resolve("vendor"), clock, broker);
    impostor = new Impostor("venetia", broker.url());
    wallet = TestWallets.open(dir, clock);
  }

  @AfterEach
  void stop() {
    wallet.close();
    impostor.close();
    vendor.close();
    broker.close();
  }

  private void register() throws InterruptedException {
    wallet.register(broker.url(), "alice");
  }

  private long alice() {
    return wallet.brokers().getFirst().customerId();
  }

  private static WalletException.Code codeOf(Throwable t) {
    return ((WalletException) t).code();
  }

  @Test
  void impostorNamingTheRealBroker_isRefusedAsUnvouched_buysNothing_andIsSentNothing()
      throws Exception {
    register();

    assertThatThrownBy(
            () -> wallet.httpClient().send(Request.get(impostor.url().resolve("/pages/1"))))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining(Request.origin(vendor.url()))
        .hasMessageContaining("millicent wallet vendors add venetia")
        .extracting(VouchedOriginsIT::codeOf)
        .isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN);

    assertThat(impostor.authorizations()).isEmpty();
    assertThat(broker.charged(alice())).isZero();
    assertThat(wallet.history(10)).isEmpty();
    assertThat(wallet.vouchedOrigins())
        .filteredOn(o -> o.vendor().equals("venetia"))
        .extracting(VouchedOrigin::origin)
        .containsExactly(Request.origin(vendor.url()));
  }

  @Test
  void impostor_afterTheWalletHoldsScrip_isSentNoPayment_andRenewalsStillGoToTheVendor()
      throws Exception {
    register();
    assertThat(wallet.httpClient().send(Request.get(vendor.url().resolve("/pages/1"))).status())
        .isEqualTo(200);
    long held = wallet.balance().getFirst().availableMillicents();

    assertThatThrownBy(
            () -> wallet.httpClient().send(Request.get(impostor.url().resolve("/pages/2"))))
        .extracting(VouchedOriginsIT::codeOf)
        .isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN);
    RenewalReport renewal = wallet.renew(true);

    assertThat(impostor.authorizations()).isEmpty();
    assertThat(impostor.requests()).containsExactly("GET /pages/2");
    assertThat(renewal.problems()).isEmpty();
    assertThat(renewal.renewed()).hasSize(1);
    assertThat(wallet.balance().getFirst().availableMillicents()).isEqualTo(held);
    assertThat(broker.charged(alice())).isEqualTo(wallet.options().buyAmountFor(PRICE));
  }

  @Test
  void vendorOriginLeftPointingAtAnImpostor_byAnOlderWallet_isNotUsedForRenewals()
      throws Exception {
    register();
    wallet.httpClient().send(Request.get(vendor.url().resolve("/pages/1")));
    wallet.close();
    // What the wallet before vouching left behind after the reproduction's 402.
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir.resolve("wallet"), Wallet.FILE))) {
      db.inTransaction(
          h ->
              h.createUpdate("UPDATE vendors SET origin = ?, exchange_path = ? WHERE vendor = ?")
                  .bind(0, Request.origin(impostor.url()))
                  .bind(1, "/millicent/exchange")
                  .bind(2, "venetia")
                  .execute());
    }
    wallet = Wallet.open(WalletOptions.defaults(dir.resolve("wallet")).withClock(clock));

    RenewalReport renewal = wallet.renew(true);

    assertThat(renewal.problems()).isEmpty();
    assertThat(renewal.renewed()).hasSize(1);
    assertThat(impostor.requests()).isEmpty();
  }

  @Test
  void offerFromAnOriginTheBrokerDoesNotList_isRefused_untilTheUserVouchesForIt() throws Exception {
    broker.setPublicUrls(URI.create("https://venetia.example"));
    register();
    Request page = Request.get(vendor.url().resolve("/pages/1"));

    assertThatThrownBy(() -> wallet.httpClient().send(page))
        .extracting(VouchedOriginsIT::codeOf)
        .isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN);
    assertThat(broker.charged(alice())).isZero();
    assertThat(vendor.sales()).isZero();

    VouchedOrigin v = wallet.vouch("venetia", vendor.url().resolve("/anything"));
    Response r = wallet.httpClient().send(page);

    assertThat(v.byUser()).isTrue();
    assertThat(v.origin()).isEqualTo(Request.origin(vendor.url()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(vendor.sales()).isEqualTo(1);
    assertThat(wallet.vouchedOrigins())
        .filteredOn(o -> o.vendor().equals("venetia"))
        .extracting(VouchedOrigin::origin, VouchedOrigin::source)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "https://venetia.example:443", broker.url().toString()),
            org.assertj.core.groups.Tuple.tuple(Request.origin(vendor.url()), "user"));

    assertThat(wallet.unvouch("venetia", Optional.of(vendor.url()))).isEqualTo(1);
    assertThatThrownBy(() -> wallet.httpClient().send(Request.get(vendor.url().resolve("/p/2"))))
        .extracting(VouchedOriginsIT::codeOf)
        .isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN);
    assertThat(vendor.sales()).isEqualTo(1);
  }

  @Test
  void brokerThatStopsListingAnOrigin_noLongerVouchesForIt() throws Exception {
    register();
    assertThat(wallet.vouchedOrigins()).extracting(VouchedOrigin::vendor).contains("venetia");

    broker.setPublicUrls(URI.create("https://venetia.example"));
    assertThat(wallet.refreshVouchedOrigins()).isEqualTo(1);

    assertThatThrownBy(() -> wallet.httpClient().send(Request.get(vendor.url().resolve("/p/1"))))
        .extracting(VouchedOriginsIT::codeOf)
        .isEqualTo(WalletException.Code.UNVOUCHED_ORIGIN);
    assertThat(vendor.sales()).isZero();
  }

  @Test
  void theBrokersOwnOrigin_isVouchedForTheBrokersId() throws Exception {
    register();

    assertThat(wallet.vouchedOrigins())
        .filteredOn(o -> o.vendor().equals("bob"))
        .extracting(VouchedOrigin::origin)
        .containsExactly(Request.origin(broker.url()));
  }
}
