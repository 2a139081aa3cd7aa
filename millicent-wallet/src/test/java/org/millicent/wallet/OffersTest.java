package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.millicent.protocol.Offer;
import org.millicent.protocol.Variant;

class OffersTest {
  @Test
  void parse_readsTheChallengeOfHttpApiMd() {
    Offer o =
        Offers.parse(
            "Millicent v=2, vendor=venetia, price=100, currency=USD, variants=\"signed private\","
                + " brokers=\"http://127.0.0.1:8081/ http://b.example\"");

    assertThat(o.vendor()).isEqualTo("venetia");
    assertThat(o.priceMillicents()).isEqualTo(100);
    assertThat(o.variants()).containsExactlyInAnyOrder(Variant.SIGNED, Variant.PRIVATE);
    assertThat(o.brokerList())
        .containsExactly(URI.create("http://127.0.0.1:8081"), URI.create("http://b.example"));
  }

  @Test
  void parse_withoutPrice_isABadResponse() {
    assertThatThrownBy(() -> Offers.parse("Millicent v=2, vendor=venetia"))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("price")
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.BAD_RESPONSE);
  }

  @Test
  void parse_version1Offer_isABadResponse() {
    assertThatThrownBy(() -> Offers.parse("Millicent v=1, vendor=venetia, price=1"))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("version");
  }

  @Test
  void parse_brokerThatIsNotAnHttpUrl_isABadResponse() {
    assertThatThrownBy(
            () -> Offers.parse("Millicent v=2, vendor=venetia, price=1, brokers=\"ftp://x\""))
        .isInstanceOf(WalletException.class);
  }
}
