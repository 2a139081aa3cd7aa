package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.TestHttp;
import org.slf4j.LoggerFactory;

/**
 * Request targets a reverse-proxy vendor cannot forward unchanged (issue 12, part 5): characters
 * RFC 3986 does not allow unencoded ({@code | { } ^ " < > `} and space) or a malformed escape
 * ({@code %zz}), in the query or the path, sent raw as {@code curl -g} does. Each is a 400 problem
 * document with a stable code, no origin call, no spent scrip, and no ERROR line in the log (these
 * gave 500 with a stack trace).
 */
class VendorRequestTargetIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestOrigin origin;
  static int originCalls;
  static VendorServer vendor;
  static OwnCustomer alice;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    origin =
        TestOrigin.start(
            ex -> {
              synchronized (VendorRequestTargetIT.class) {
                originCalls++;
              }
              TestOrigin.answer(ex, 200, ("origin " + ex.getRequestURI()));
            });
    vendor = VendorServer.start(origin.pricedProxy().build(), dir);
    alice = OwnCustomer.of(vendor);
  }

  @AfterAll
  static void stop() {
    vendor.close();
    origin.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
  }

  @AfterEach
  @SuppressWarnings("SynchronizeOnNonFinalField") // ListAppender.list is what logback locks
  void noErrorWasLogged() {
    List<String> errors = new ArrayList<>();
    synchronized (log.list) {
      for (ILoggingEvent e : log.list) {
        if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
          errors.add(e.getFormattedMessage());
        }
      }
    }
    assertThat(errors).as("ERROR lines in the log").isEmpty();
  }

  static Stream<String> badTargets() {
    List<String> out = new ArrayList<>();
    for (String c : List.of("|", "{", "}", "^", "\"", "<", ">", "`", "%zz", "%", "%4", "%G0")) {
      out.add("/free/page?x=" + c);
      out.add("/paid/page?x=" + c);
      out.add("/paid/page?" + c + "=1");
      out.add("/free/a" + c);
      out.add("/paid/a" + c);
    }
    return out.stream();
  }

  @ParameterizedTest(name = "GET {0}")
  @MethodSource("badTargets")
  void unforwardableTarget_is400ProblemWithAStableCode_andNeverReachesTheOrigin(String target)
      throws Exception {
    int before = calls();
    RawHttp.Response a = RawHttp.exchange(vendor.url(), "GET", target);
    assertThat(a.status()).as("%s: %s", target, a.body()).isEqualTo(400);
    assertThat(a.header("Content-Type")).startsWith(Problems.PROBLEM_JSON);
    // A query is checked by the gateway; a path by Jetty's RFC 3986 mode, and a path escape it
    // cannot decode at all fails the request line.
    String expected =
        target.contains("?") ? "bad-query" : target.contains("%") ? "bad-request" : "bad-path";
    assertThat(JSON.readTree(a.body()).get("code").asText()).as(a.body()).isEqualTo(expected);
    assertThat(calls()).isEqualTo(before);
  }

  @Test
  void paidRequestWithAnUnforwardableQuery_is400_andTheScripStaysUnspent() throws Exception {
    Scrip s = alice.scrip(1_000);
    String target = "/paid/page?x=|";
    RawHttp.Response a =
        RawHttp.exchange(
            vendor.url(),
            "GET",
            target,
            "Authorization: "
                + PaymentHeader.format(
                    new TestHttp(vendor.url())
                        .signed(s, alice.secret(), "GET", target, new byte[0])));
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(JSON.readTree(a.body()).get("code").asText()).isEqualTo("bad-query");

    HttpResponse<byte[]> ok =
        new TestHttp(vendor.url())
            .pay(
                new TestHttp(vendor.url())
                    .signed(s, alice.secret(), "GET", "/paid/page?x=%7C", new byte[0]),
                new byte[0]);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(ok)).isEqualTo("origin /paid/page?x=%7C");
    assertThat(TestHttp.receipt(ok)).containsEntry("price", "250");
  }

  private static synchronized int calls() {
    return originCalls;
  }
}
