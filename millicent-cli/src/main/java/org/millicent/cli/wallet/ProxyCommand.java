package org.millicent.cli.wallet;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.millicent.failure.Causes;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.proxy.PayingProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet proxy --port P}: a local HTTP proxy that pays for {@code http://}
 * resources within the budget, so {@code curl -x} or a browser can use the wallet. HTTPS (CONNECT)
 * tunnels pass through unpaid. Runs until interrupted, renewing scrip every few minutes.
 */
@Command(
    name = "proxy",
    description = {
      "Runs a local HTTP proxy that pays for http:// resources.",
      "It pays within the budget:",
      "  curl -x http://127.0.0.1:8402 http://vendor.example/pages/1",
      "HTTPS goes through CONNECT tunnels that the proxy cannot see into: those pass unpaid.",
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
    PayingProxy proxy;
    try {
      Recovery.run(w, err);
      proxy =
          PayingProxy.start(
              new InetSocketAddress(InetAddress.getByName(host), port),
              w.httpClient(),
              line -> {
                synchronized (out) {
                  out.println(line);
                  out.flush();
                }
              });
    } catch (IOException e) {
      w.close();
      err.println("millicent wallet proxy: cannot listen on " + host + ":" + port + ": " + e);
      return 1;
    } catch (RuntimeException e) {
      w.close();
      return WalletDir.fail(err, "millicent wallet proxy", e);
    }
    ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      renewals.shutdownNow();
                      proxy.close();
                      w.close();
                      stopped.countDown();
                    }));
    out.println("paying proxy at " + proxy.url() + " (wallet " + w.describe() + ")");
    out.println("  try: curl -x " + proxy.url() + " http://<vendor>/<priced path>");
    out.println("  https:// goes through CONNECT tunnels, which pass unpaid");
    out.flush();
    stopped.await();
    return 0;
  }
}
