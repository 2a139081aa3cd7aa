package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.TestKeystores;

/** The broker serving HTTPS from a PKCS#12 key store made by the JDK's keytool. */
class BrokerTlsIT {
  @TempDir Path dir;

  @Test
  void tls_servesHttpsAndRegistersOverIt() throws Exception {
    Path ks = TestKeystores.selfSigned(dir.resolve("broker.p12"), "broker");

    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withListen("127.0.0.1", 0)
            .withTls(new BrokerConfig.Tls(ks, TestKeystores.PASSWORD));
    try (BrokerServer server = BrokerServer.start(config, dir.resolve("data"))) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      assertThat(server.port()).isPositive();

      try (HttpClient http =
          HttpClient.newBuilder().sslContext(TestKeystores.trusting(ks)).build()) {
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
