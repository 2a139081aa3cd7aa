package org.millicent.cli.vendor;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.millicent.cli.ListenOverrides;
import org.millicent.cli.Serving;
import org.millicent.money.Amounts;
import org.millicent.vendor.BrokerJoin;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.ConfigException;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent vendor serve}: runs the vendor gateway until interrupted. Without {@code
 * --config} it serves the built-in sample catalogue (a free index and five pages from 0.1 to 5
 * cents). A configuration with errors prints every error and exits 2.
 */
@Command(
    name = "serve",
    description = {
      "Runs the vendor gateway until interrupted (Ctrl-C).",
      "Without --config it serves a built-in sample catalogue: a free index page at / and five"
          + " pages priced 0.1 to 5 cents."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The vendor's YAML configuration (default: the sample catalogue).")
  @Nullable Path config;

  @Mixin ListenOverrides listen;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "millicent-vendor-data",
      description =
          "Folder for the SQLite database and the admin token (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description =
          "Join the broker at URL at start: it then sells this vendor's scrip under a licence"
              + " and offers name it. The broker must be running (waits up to 30 s).")
  @Nullable URI broker;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:MILLICENT_JOIN_TOKEN}",
      description =
          "The join token the broker printed at its start (default: $MILLICENT_JOIN_TOKEN);"
              + " not needed when the broker is on this machine.")
  String joinToken;

  /** Created by picocli. */
  public ServeCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VendorConfig cfg;
    try {
      VendorConfigBuilder b =
          config == null ? VendorConfig.sampleBuilder() : VendorConfig.load(config).toBuilder();
      Integer port = listen.port();
      if (port != null) {
        b.port(port);
      }
      String host = listen.host();
      if (host != null) {
        b.host(host);
      }
      cfg = b.build();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    BrokerJoin join;
    try {
      join = broker == null ? null : new BrokerJoin(broker, joinToken);
    } catch (IllegalArgumentException e) {
      err.println("millicent vendor serve: --broker: " + e.getMessage());
      return 2;
    }
    VendorServer server =
        Serving.start(
            err,
            "millicent vendor serve",
            () ->
                join == null ? VendorServer.start(cfg, data) : VendorServer.start(cfg, data, join));
    if (server == null) {
      return 1;
    }
    CountDownLatch stopped = Serving.closeOnShutdown(server::close);
    out.println("vendor \"" + cfg.vendor() + "\" serving at " + server.url());
    out.println("  manifest: " + server.url() + "/.well-known/millicent");
    if (join != null) {
      out.println("  sold by the broker at " + join.broker() + " (licensed)");
    }
    if (config == null) {
      out.println(
          "  sample catalogue: "
              + server.url()
              + "/ (free), pages from "
              + Amounts.format(100)
              + " to "
              + Amounts.format(5_000));
    }
    out.println(
        "  data: "
            + data.toAbsolutePath()
            + " (admin token in "
            + VendorServer.ADMIN_TOKEN_FILE
            + " unless configured)");
    out.flush();
    stopped.await();
    return 0;
  }
}
