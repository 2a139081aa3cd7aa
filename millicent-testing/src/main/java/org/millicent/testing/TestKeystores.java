package org.millicent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed PKCS#12 keystores for the servers tests start with TLS on loopback, made by the JDK's
 * own keytool as an operator would make one, and the TLS contexts that serve from them or trust
 * them. Thread-safe (no state).
 */
public final class TestKeystores {
  /** The store and key password of every keystore made here. */
  public static final String PASSWORD = "changeit";

  private TestKeystores() {}

  /**
   * Makes {@code file}: a keystore holding, under {@code alias}, an EC (P-256) key and a
   * certificate it signed itself for 127.0.0.1 (subject and IP name) and localhost (DNS name),
   * valid for two days.
   *
   * @throws IOException when keytool cannot be started or fails (its output is in the message)
   */
  public static Path selfSigned(Path file, String alias) throws IOException {
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        file.toString(),
        "-storepass",
        PASSWORD);
    return file;
  }

  /**
   * Writes the certificate under {@code alias} in {@code keystore} to {@code pem} in PEM form, for
   * clients such as curl that take a CA file.
   *
   * @throws IOException when keytool cannot be started or fails (its output is in the message)
   */
  public static Path exportPem(Path keystore, String alias, Path pem) throws IOException {
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        alias,
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        pem.toString());
    return pem;
  }

  /** A TLS context for a server that presents the key in {@code keystore}. */
  public static SSLContext serving(Path keystore) throws IOException, GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore), PASSWORD.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    return ssl;
  }

  /** A TLS context for a client that trusts the certificates in {@code keystore} and no others. */
  public static SSLContext trusting(Path keystore) throws IOException, GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(keystore));
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static KeyStore load(Path keystore) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool " + args[0] + " did not finish within 60 s: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted waiting for keytool " + args[0], e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): " + out);
    }
  }
}
