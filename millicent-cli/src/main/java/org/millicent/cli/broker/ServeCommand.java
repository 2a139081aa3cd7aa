package org.millicent.cli.broker;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerConfigException;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.VendorConfig;
import org.millicent.cli.ListenOverrides;
import org.millicent.cli.Serving;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent broker serve}: runs the broker until interrupted. Without {@code --config} it
 * starts with defaults (broker id {@code broker}, loopback, SQLite in the data folder, no vendors).
 * A configuration with errors prints every error and exits 2.
 */
@Command(
    name = "serve",
    description = {
      "Runs the broker until interrupted (Ctrl-C).",
      "Without --config it starts with defaults: id \"broker\", 127.0.0.1:8081, SQLite in the"
          + " data folder, aggregating accounts with a $10 credit limit, no vendors until one joins"
          + " (millicent vendor serve --broker URL)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The broker's YAML configuration (default: zero-configuration defaults).")
  @Nullable Path config;

  @Mixin ListenOverrides listen;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "millicent-broker-data",
      description =
          "Folder for the SQLite database and the admin token (default: ${DEFAULT-VALUE}).")
  Path data;

  /** Created by picocli. */
  public ServeCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BrokerConfig cfg;
    try {
      cfg = overridden(config == null ? BrokerConfig.defaults() : BrokerConfig.load(config));
    } catch (BrokerConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    BrokerServer server =
        Serving.start(err, "millicent broker serve", () -> BrokerServer.start(cfg, data));
    if (server == null) {
      return 1;
    }
    CountDownLatch stopped = Serving.closeOnShutdown(server::close);
    out.println("broker \"" + cfg.brokerId() + "\" serving at " + server.url());
    out.println("  manifest: " + server.url() + "/.well-known/millicent");
    out.println("  register: POST " + server.url() + "/broker/accounts {\"name\": \"...\"}");
    for (VendorConfig v : server.broker().vendors()) {
      out.println("  sells " + v.vendor() + " (" + v.supply().wireName() + ") at " + v.url());
    }
    // The one place the join token is shown, at every start, on the operator's console (never in
    // the log; docs/BROKER.md): the operator hands it to vendors elsewhere.
    // (In the environment rather than as an option, so other users do not see it in ps.)
    out.println(
        "  vendors join with: MILLICENT_JOIN_TOKEN="
            + server.joinToken()
            + " millicent vendor serve --broker "
            + server.url()
            + " (no token needed on this machine)");
    out.println(
        "  data: "
            + data.toAbsolutePath()
            + " (admin token in "
            + BrokerServer.ADMIN_TOKEN_FILE
            + " unless configured)");
    out.flush();
    stopped.await();
    return 0;
  }

  /** {@code cfg} listening where {@code --port} and {@code --host} say. */
  private BrokerConfig overridden(BrokerConfig cfg) {
    Integer port = listen.port();
    String host = listen.host();
    if (port == null && host == null) {
      return cfg;
    }
    return cfg.withListen(host == null ? cfg.host() : host, port == null ? cfg.port() : port);
  }
}
