package org.millicent.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

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
  void adminCommands_talkToARunningBroker() {
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
      assertThat(books.out()).contains("money in $0.12345").contains("conserved");

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
      assertThat(st.out()).contains("bob").contains("$0.12345");

      CliRun vendors = CliRun.of("broker", "vendors", "--url", url, "--data", data.toString());
      assertThat(vendors.exitCode()).isZero();
      CliRun licences = CliRun.of("broker", "licences", "--url", url, "--data", data.toString());
      assertThat(licences.exitCode()).isZero();

      CliRun unknown =
          CliRun.of(
              "broker", "vendors", "settle", "nobody", "--url", url, "--data", data.toString());
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("unknown-vendor");

      CliRun noToken =
          CliRun.of(
              "broker", "vendors", "--url", url, "--data", dir.resolve("elsewhere").toString());
      assertThat(noToken.exitCode()).isEqualTo(2);
      assertThat(noToken.err()).contains("admin token");
    }
  }
}
