package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker serving HTTPS from a PKCS#12 key store made by the JDK's keytool. */
class BrokerTlsIT {
  @TempDir Path dir;

  @Test
  void tls_servesHttpsAndRegistersOverIt() throws Exception {
    Path ks = dir.resolve("broker.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    try (InputStream out = keytool.getInputStream()) {
      out.readAllBytes();
    }
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();

    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withListen("127.0.0.1", 0)
            .withTls(new BrokerConfig.Tls(ks, "changeit"));
    try (BrokerServer server = BrokerServer.start(config, dir.resolve("data"))) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      assertThat(server.port()).isPositive();

      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ks)) {
        trust.load(in, "changeit".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).build()) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/broker/accounts"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"alice\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("customer_secret");
        HttpResponse<String> wk =
            http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/.well-known/millicent")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wk.body()).contains("\"broker\":\"bob\"");
      }
    }
  }
}
