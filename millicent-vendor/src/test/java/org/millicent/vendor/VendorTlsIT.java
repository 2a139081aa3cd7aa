package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.TestKeystores;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;

/** The vendor serving HTTPS from a configured PKCS#12 keystore (made with the JDK's keytool). */
class VendorTlsIT {
  @TempDir Path dir;

  @Test
  void tlsKeystore_servesHttpsAndTheAdminEndpointOverIt() throws Exception {
    Path keystore = TestKeystores.selfSigned(dir.resolve("vendor.p12"), "vendor");
    HttpClient client =
        HttpClient.newBuilder().sslContext(TestKeystores.trusting(keystore)).build();

    VendorConfig config =
        VendorConfig.sampleBuilder()
            .port(0)
            .adminToken("admin-token-0123456789")
            .tls(new TlsConfig(keystore, TestKeystores.PASSWORD))
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
