package org.millicent.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.cli.CliRun;

class BrokerCommandIT {
  @TempDir Path dir;

  @Test
  void serve_withABadConfig_listsEveryProblemAndExits2() throws Exception {
    Path cfg = dir.resolve("broker.yaml");
    Files.writeString(
        cfg,
        """
        broker: Not An Id
        port: 99999
        statement_period: weekly
        colour: blue
        vendors:
          - vendor: venetia
            url: ftp://x
            supply: warehouse
        """);
    CliRun r = CliRun.of("broker", "serve", "--config", cfg.toString(), "--data", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("broker:")
        .contains("port:")
        .contains("statement_period")
        .contains("colour: unknown setting")
        .contains("vendors[0].url")
        .contains("vendors[0].token");
  }

  @Test
  void adminCommands_talkToARunningBroker() throws Exception {
    Path data = dir.resolve("data");
    try (BrokerServer server =
        BrokerServer.start(
            BrokerConfig.defaults().withBrokerId("bob").withListen("127.0.0.1", 0), data)) {
      String url = server.url().toString();
      long alice = server.broker().register("alice").customer().id();
      server.broker().sellBrokerScrip(alice, 12_345, null);

      CliRun books =
          CliRun.of("broker", "statements", "books", "--url", url, "--data", data.toString());
      assertThat(books.exitCode()).as(books.err()).isZero();
      assertThat(books.out()).contains("money in 12.345¢ (12,345 m¢)").contains("conserved");

      CliRun st =
          CliRun.of(
              "broker",
              "statements",
              "customer",
              Long.toUnsignedString(alice),
              "--url",
              url,
              "--data",
              data.toString());
      assertThat(st.exitCode()).as(st.err()).isZero();
      assertThat(st.out()).contains("bob").contains("12.345¢ (12,345 m¢)");

      CliRun vendors = CliRun.of("broker", "vendors", "--url", url, "--data", data.toString());
      assertThat(vendors.exitCode()).isZero();
      assertThat(vendors.out()).contains("sells no vendor's scrip");
      CliRun licences = CliRun.of("broker", "licences", "--url", url, "--data", data.toString());
      assertThat(licences.exitCode()).isZero();

      CliRun unknown =
          CliRun.of(
              "broker", "vendors", "settle", "nobody", "--url", url, "--data", data.toString());
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("unknown-vendor");

      // Without --url: the broker that the data folder belongs to, at the URL it recorded there.
      assertThat(Files.readString(data.resolve(BrokerServer.URL_FILE)).strip()).isEqualTo(url);
      CliRun byFolder = CliRun.of("broker", "statements", "books", "--data", data.toString());
      assertThat(byFolder.exitCode()).as(byFolder.err()).isZero();
      assertThat(byFolder.out()).contains("money in 12.345¢ (12,345 m¢)");

      CliRun noToken =
          CliRun.of(
              "broker", "vendors", "--url", url, "--data", dir.resolve("elsewhere").toString());
      assertThat(noToken.exitCode()).isEqualTo(2);
      assertThat(noToken.err()).contains("admin token");
    }
  }

  @Test
  void adminCommands_brokerStopped_sayWhichUrlTheyTriedAndWhy() throws Exception {
    Path data = dir.resolve("stopped");
    try (BrokerServer server =
        BrokerServer.start(
            BrokerConfig.defaults().withBrokerId("bob").withListen("127.0.0.1", 0), data)) {
      assertThat(Files.readString(data.resolve(BrokerServer.URL_FILE)).strip())
          .isEqualTo(server.url().toString());
    }
    assertThat(data.resolve(BrokerServer.URL_FILE))
        .as("removed when the broker stops")
        .doesNotExist();

    // A URL left behind by a broker that died: nothing listens at its port any more.
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    Files.writeString(data.resolve(BrokerServer.URL_FILE), "http://127.0.0.1:" + dead + "\n");
    CliRun r = CliRun.of("broker", "vendors", "--data", data.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("cannot reach the broker at http://127.0.0.1:" + dead)
        .contains("recorded in " + data.resolve(BrokerServer.URL_FILE))
        .contains("onnection refused")
        .contains("millicent broker serve --data " + data)
        .doesNotContain("null");
  }
}
