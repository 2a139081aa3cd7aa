package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;

/** The vendor serving HTTPS from a configured PKCS#12 keystore (made with the JDK's keytool). */
class VendorTlsIT {
  @TempDir Path dir;

  @Test
  void tlsKeystore_servesHttpsAndTheAdminEndpointOverIt() throws Exception {
    Path keystore = dir.resolve("vendor.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "vendor",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-ext",
                "SAN=ip:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(out).isZero();

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trust.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();

    VendorConfig config =
        VendorConfig.sampleBuilder()
            .port(0)
            .adminToken("admin-token-0123456789")
            .tls(new TlsConfig(keystore, "changeit"))
            .build();
    try (VendorServer vendor = VendorServer.start(config, dir.resolve("data"))) {
      assertThat(vendor.url().getScheme()).isEqualTo("https");
      HttpResponse<String> page =
          client.send(
              HttpRequest.newBuilder(URI.create(vendor.url() + "/pages/haiku.html")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(402);
      HttpResponse<String> licences =
          client.send(
              HttpRequest.newBuilder(URI.create(vendor.url() + "/millicent/admin/licences"))
                  .header("Authorization", "Bearer admin-token-0123456789")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(licences.statusCode()).isEqualTo(200);
      assertThat(licences.body()).isEqualTo("{\"licences\":[]}");
    }
  }
}
