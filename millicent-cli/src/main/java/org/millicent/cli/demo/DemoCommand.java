package org.millicent.cli.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.millicent.cli.Serving;
import org.millicent.failure.Causes;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.proxy.WalletProxy;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent demo}: the seed's scenario end to end. Starts Venetia (vendor, sample
 * catalogue), her annex and Bob (broker) in this process on loopback with their storage in a
 * temporary folder, gives Alice a wallet, and plays the story over real HTTP, printing each step
 * with its amounts and the balances of all three at the end. Exits 0 when every step worked.
 */
@Command(
    name = "demo",
    description = {
      "Plays the Millicent scenario end to end, over real HTTP.",
      "Alice (customer), Bob (broker) and Venetia (vendor) on loopback in this process, with "
          + "storage in a temporary folder.",
      "Alice has no scrip, Venetia points her to Bob, she buys, pays, gets change, pays with the "
          + "change, renews, then both supply models (licensed and warehouse) and a settlement."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--serve",
      description = "Keep the servers (and a paying proxy for Alice) up afterwards; Ctrl-C stops.")
  boolean serve;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Keep all state in DIR instead of a temporary folder deleted at the end.")
  @Nullable Path data;

  @Option(names = "--verbose", description = "Show the servers' log lines too.")
  boolean verbose;

  /** Created by picocli. */
  public DemoCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!verbose) {
      ((Logger) LoggerFactory.getLogger("org.millicent")).setLevel(Level.WARN);
    }
    Path dir = data != null ? data : Files.createTempDirectory("millicent-demo-");
    boolean temporary = data == null;
    DemoMarket market;
    try {
      market = DemoMarket.start(dir);
    } catch (RuntimeException e) {
      err.println("millicent demo: the servers could not start: " + Causes.describe(e));
      deleteIf(temporary, dir);
      return 1;
    }
    Wallet alice = Wallet.open(WalletOptions.defaults(dir.resolve("alice")));
    try {
      new DemoScenario(market, alice, dir, out).play(temporary);
    } catch (IOException | RuntimeException e) {
      out.flush();
      err.println("millicent demo: a step failed: " + Causes.describe(e));
      stop(alice, market, temporary, dir);
      return 1;
    }
    if (serve) {
      serve(market, alice, dir, temporary, out);
      return 0;
    }
    stop(alice, market, temporary, dir);
    return 0;
  }

  private static void serve(
      DemoMarket market, Wallet alice, Path dir, boolean temporary, PrintWriter out)
      throws IOException, InterruptedException {
    WalletProxy proxy;
    try {
      proxy =
          WalletProxy.start(
              alice,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              List.of(),
              Serving.printer(out, "  proxy: "));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("the proxy did not start: " + e.getMessage(), e);
    }
    out.println();
    out.println("The servers stay up until Ctrl-C:");
    out.println("  Venetia          " + market.venetia().url());
    out.println("  Venetia's annex  " + market.annex().url());
    out.println("  Bob              " + market.bob().url());
    out.println("  Alice's proxy    " + proxy.url());
    out.println("  Alice's wallet   " + proxy.pageUrl());
    out.println("Try:");
    out.println("  curl -i " + market.venetia().url() + "/pages/premium.html");
    out.println("  curl -x " + proxy.url() + " " + market.venetia().url() + "/pages/premium.html");
    out.println("  bin/millicent wallet balance --wallet " + dir.resolve("alice"));
    out.flush();
    Serving.closeOnShutdown(
            () -> {
              proxy.close();
              stop(alice, market, temporary, dir);
            })
        .await();
  }

  /** Closes Alice's wallet and the servers, and deletes the folder if it is a temporary one. */
  private static void stop(Wallet alice, DemoMarket market, boolean temporary, Path dir) {
    alice.close();
    market.close();
    deleteIf(temporary, dir);
  }

  private static void deleteIf(boolean temporary, Path dir) {
    if (!temporary) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
