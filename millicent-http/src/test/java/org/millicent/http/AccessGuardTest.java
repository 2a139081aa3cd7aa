package org.millicent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessGuardTest {
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"})
  void loopbackLiterals_areLoopback(String address) {
    assertThat(AccessGuard.isLoopback(address)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"localhost", "192.0.2.7", "::2", "10.0.0.1", "127.0.0.1.example", "x"})
  void namesAndOtherAddresses_areNot_andNoNameIsLookedUp(String address) {
    // "localhost" resolves to loopback through DNS or the hosts file; a literal-only check says no.
    assertThat(AccessGuard.isLoopback(address)).isFalse();
  }

  @Test
  void bearer_readsTheToken_caseInsensitiveScheme_stripped() {
    assertThat(AccessGuard.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(AccessGuard.bearer("bearer  abc ")).isEqualTo("abc");
    assertThat(AccessGuard.bearer("Bearer ")).isEmpty();
    assertThat(AccessGuard.bearer("Bearer")).isNull();
    assertThat(AccessGuard.bearer("Basic abc")).isNull();
    assertThat(AccessGuard.bearer(null)).isNull();
  }

  @Test
  void tokenMatches_onlyTheSameNonEmptyToken() {
    assertThat(AccessGuard.tokenMatches("s3cret", "s3cret")).isTrue();
    assertThat(AccessGuard.tokenMatches("s3cret", "s3creT")).isFalse();
    assertThat(AccessGuard.tokenMatches("s3cret", "s3cre")).isFalse();
    assertThat(AccessGuard.tokenMatches("s3cret", null)).isFalse();
    assertThat(AccessGuard.tokenMatches("s3cret", "")).isFalse();
    assertThat(AccessGuard.tokenMatches("", "")).isFalse();
    assertThat(AccessGuard.tokenMatches(null, "x")).isFalse();
  }
}
