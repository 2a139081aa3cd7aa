package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millicent.wallet.WalletException.Code;

class ProxyProblemsTest {
  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "BUDGET_EXCEEDED",
        "NO_BROKER_ACCOUNT",
        "NOT_REGISTERED",
        "BROKER_REFUSED",
        "VENDOR_REFUSED",
        "NO_COMMON_VARIANT",
        "UNVOUCHED_ORIGIN",
        "INSUFFICIENT_SCRIP"
      })
  void whatTheWalletWouldNotOrCouldNotPay_is402(Code code) {
    assertThat(ProxyProblems.status(code)).isEqualTo(402);
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {"BAD_RESPONSE", "FORGED_REPLY", "UNREACHABLE"})
  void aServerThatFailedOrLied_is502(Code code) {
    assertThat(ProxyProblems.status(code)).isEqualTo(502);
  }

  @Test
  void anOutstandingAnswer_is504_andABadRequest_400() {
    assertThat(ProxyProblems.status(Code.PAYMENT_IN_FLIGHT)).isEqualTo(504);
    assertThat(ProxyProblems.status(Code.BAD_REQUEST)).isEqualTo(400);
    assertThat(ProxyProblems.BAD_REQUEST).isEqualTo("bad-request");
  }
}
