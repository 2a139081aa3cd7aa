package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.millicent.cli.Serving;
import org.millicent.failure.Causes;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.proxy.WalletProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet proxy --port P}: the wallet as a browser's companion, a local proxy that
 * pays for {@code http://} resources and, through the wallet's own certificate authority, for
 * {@code https://} resources of vendors (docs/WALLET.md, "The proxy"); other HTTPS passes through
 * untouched. Its own address serves the wallet page. Runs until interrupted, renewing scrip every
 * few minutes.
 */
@Command(
    name = "proxy",
    subcommands = {ProxyCaCommand.class},
    description = {
      "Runs a local proxy that pays for what it fetches, HTTPS included.",
      "It pays within the budget:",
      "  curl -x http://127.0.0.1:8402 --cacert ca.pem https://vendor.example/pages/1",
      "HTTPS to vendors is read with the wallet's own CA (`millicent wallet proxy ca` prints it",
      "and says how to trust it); every other CONNECT tunnel passes untouched.",
      "The wallet page is at the URL printed at start (it carries a per-start token).",
      "Anyone who can reach the port spends the wallet's money; it listens on loopback by default."
    })
public final class ProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "8402",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--never-intercept",
      paramLabel = "HOST",
      description = {
        "A host whose HTTPS is never intercepted, vendor or not (repeatable;",
        "also read from " + WalletProxy.NEVER_INTERCEPT_FILE + " in the wallet folder)."
      })
  List<String> neverIntercept = new ArrayList<>();

  /** Created by picocli. */
  public ProxyCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Wallet w;
    try {
      w = wallet.open();
    } catch (RuntimeException e) {
      return WalletDir.fail(err, "millicent wallet proxy", e);
    }
    WalletProxy proxy;
    try {
      Recovery.run(w, err);
      proxy =
          WalletProxy.start(
              w,
              new InetSocketAddress(InetAddress.getByName(host), port),
              neverIntercept,
              Serving.printer(out, ""));
    } catch (RuntimeException e) {
      w.close();
      return WalletDir.fail(err, "millicent wallet proxy", e);
    } catch (Exception e) {
      w.close();
      err.println("millicent wallet proxy: cannot listen on " + host + ":" + port + ": " + e);
      return 1;
    }
    ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    var unused =
        renewals.scheduleWithFixedDelay(
            () -> {
              try {
                w.renew(false)
                    .renewed()
                    .forEach(r -> out.println("renewed " + r.vendor() + " " + r.oldId()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                err.println("renewal failed: " + Causes.describe(e));
              }
            },
            5,
            5,
            TimeUnit.MINUTES);
    CountDownLatch stopped =
        Serving.closeOnShutdown(
            () -> {
              renewals.shutdownNow();
              proxy.close();
              w.close();
            });
    out.println("paying proxy at " + proxy.url() + " (wallet " + w.describe() + ")");
    out.println("  wallet page: " + proxy.pageUrl());
    out.println(
        "  try: curl -x "
            + proxy.url()
            + " --cacert "
            + w.options().dir().resolve(org.millicent.wallet.proxy.LocalCa.CERT_FILE)
            + " https://<vendor>/<priced path>");
    out.println("  HTTPS is read only for vendors; other tunnels pass untouched");
    out.flush();
    stopped.await();
    return 0;
  }
}
