package org.millicent.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class CausesTest {
  @Test
  void describe_connectExceptionWithoutMessage_saysConnectionRefused() {
    // What java.net.http throws when nothing listens: no message, a cause without one either.
    ConnectException e = new ConnectException();
    e.initCause(new ClosedChannelException());
    assertThat(Causes.describe(e)).isEqualTo("connection refused");
    assertThat(Causes.describe(new IOException(e))).isEqualTo("connection refused");
  }

  @Test
  void describe_messagelessWrapper_usesTheFirstCauseWithAMessage() {
    ConnectException e = new ConnectException();
    e.initCause(new ConnectException("Connection refused"));
    assertThat(Causes.describe(e)).isEqualTo("Connection refused");
    assertThat(Causes.describe(new UncheckedIOException(new IOException("disk full"))))
        .isEqualTo("disk full");
  }

  @Test
  void describe_timeoutOrClosedConnection_saysSo() {
    assertThat(Causes.describe(new SocketTimeoutException("Read timed out")))
        .isEqualTo("Read timed out");
    assertThat(Causes.describe(new ClosedChannelException()))
        .isEqualTo("the connection was closed");
  }

  @Test
  void describe_messageThatOnlyNamesTheThing_putsTheKindFirst() {
    assertThat(Causes.describe(new NoSuchFileException("/tmp/wallet.db")))
        .isEqualTo("no such file: /tmp/wallet.db");
    assertThat(Causes.describe(new UnknownHostException("broker.invalid")))
        .isEqualTo("unknown host: broker.invalid");
  }

  @Test
  void describe_unknownTypeWithoutMessage_namesItsTypeInWords_neverNull() {
    assertThat(Causes.describe(new IllegalStateException())).isEqualTo("illegal state");
    assertThat(Causes.describe(new IOException(""))).isEqualTo("input/output error");
    assertThat(Causes.describe(null)).isEqualTo("unknown failure");
  }
}
