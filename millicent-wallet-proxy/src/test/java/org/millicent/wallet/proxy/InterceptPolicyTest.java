package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InterceptPolicyTest {
  private final List<String> vouched =
      new CopyOnWriteArrayList<>(List.of("https://venetia.example:443", "https://127.0.0.1:8443"));
  private final InterceptPolicy policy =
      new InterceptPolicy(() -> vouched, List.of("Bank.Example", "127.0.0.2"));

  private static TunnelTargets.Target t(String host, int port) {
    return new TunnelTargets.Target(host, port);
  }

  @Test
  void aVouchedOrigin_isIntercepted_onItsPortOnly() {
    assertThat(policy.intercepts(t("venetia.example", 443))).isTrue();
    assertThat(policy.intercepts(t("VENETIA.example", 443))).isTrue();
    assertThat(policy.intercepts(t("venetia.example", 8443))).isFalse();
    assertThat(policy.intercepts(t("127.0.0.1", 8443))).isTrue();
    assertThat(policy.intercepts(t("127.0.0.1", 443))).isFalse();
  }

  @Test
  void anyOtherHost_isTunnelledUntouched() {
    assertThat(policy.intercepts(t("example.org", 443))).isFalse();
  }

  @Test
  void anOriginVouchedLater_isInterceptedFromThen() {
    assertThat(policy.intercepts(t("annex.example", 443))).isFalse();

    vouched.add("https://annex.example:443");

    assertThat(policy.intercepts(t("annex.example", 443))).isTrue();
  }

  @Test
  void aHostSeenAnswering402OverHttp_hasItsHttpsIntercepted() {
    policy.seenAnswering402(URI.create("http://shop.example:80/pages/1"));

    assertThat(policy.intercepts(t("shop.example", 443))).isTrue();
    assertThat(policy.isVendorOrigin(URI.create("http://shop.example/other"))).isTrue();
  }

  @Test
  void aHostTheUserNeverIntercepts_isTunnelled_evenAsAVendor() {
    vouched.add("https://bank.example:443");
    policy.seenAnswering402(URI.create("http://bank.example/"));

    assertThat(policy.intercepts(t("bank.example", 443))).isFalse();
  }
}
