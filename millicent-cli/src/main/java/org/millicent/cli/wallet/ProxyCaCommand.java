package org.millicent.cli.wallet;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.wallet.proxy.LocalCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet proxy ca [-o FILE]}: prints (or writes) the certificate of the wallet's
 * own CA, making it if there is none yet, and tells how to trust it. The key stays where it is.
 */
@Command(
    name = "ca",
    description = {
      "Prints the proxy's CA certificate and how to trust it.",
      "The CA's key never leaves the wallet folder (mode 0600)."
    })
public final class ProxyCaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write the certificate to FILE instead of standard output.")
  @Nullable Path out;

  /** Created by picocli. */
  public ProxyCaCommand() {}

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalCa ca;
    try {
      ca = LocalCa.openOrCreate(wallet.dir());
    } catch (RuntimeException e) {
      return WalletDir.fail(err, "millicent wallet proxy ca", e);
    }
    Path file = wallet.dir().resolve(LocalCa.CERT_FILE);
    if (out != null) {
      try {
        Files.writeString(out, ca.certificatePem(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        err.println("millicent wallet proxy ca: cannot write " + out + ": " + e.getMessage());
        return 1;
      }
      file = out;
    } else {
      stdout.print(ca.certificatePem());
      stdout.flush();
    }
    err.println("SHA-256 fingerprint " + ca.fingerprint());
    err.println(
        "The proxy shows certificates signed by this CA for vendors' HTTPS only. Trust it:");
    err.println("  curl:     curl -x http://127.0.0.1:8402 --cacert " + file + " https://...");
    err.println(
        "  Debian:   sudo cp "
            + file
            + " /usr/local/share/ca-certificates/millicent-wallet.crt"
            + " && sudo update-ca-certificates");
    err.println(
        "  Chromium: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n millicent-wallet -i " + file);
    err.println(
        "            (or Settings > Privacy and security > Security > Manage certificates)");
    err.println(
        "  Firefox:  Settings > Privacy & Security > Certificates > View Certificates >"
            + " Authorities > Import");
    err.println("  Java:     keytool -importcert -alias millicent-wallet -file " + file);
    err.flush();
    return 0;
  }
}
