package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.vendor.config.VendorConfig;

/**
 * The broker and admin endpoints refuse plain HTTP from other hosts ({@code 403 insecure-channel},
 * the broker's code for the same refusal), while the customer side answers. Uses this machine's own
 * non-loopback address; skipped when it has none.
 */
class VendorInsecureChannelIT {
  @TempDir Path dir;

  @Test
  void adminAndBrokerEndpoints_overPlainHttpFromANonLoopbackAddress_areInsecureChannel()
      throws Exception {
    InetAddress lan = null;
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isUp() && !ni.isLoopback()) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            lan = a;
          }
        }
      }
    }
    assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to test from");
    VendorConfig config =
        VendorConfig.sampleBuilder()
            .host("0.0.0.0")
            .port(0)
            .adminToken("admin-token-0123456789")
            .build();
    try (VendorServer vendor = VendorServer.start(config, dir);
        HttpClient client = HttpClient.newHttpClient()) {
      URI base = URI.create("http://" + lan.getHostAddress() + ":" + vendor.port());
      HttpResponse<String> admin =
          client.send(
              HttpRequest.newBuilder(base.resolve("/millicent/admin/licences"))
                  .header("Authorization", "Bearer admin-token-0123456789")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(admin.statusCode()).isEqualTo(403);
      assertThat(admin.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(admin.body()).contains("\"code\":\"insecure-channel\"");
      HttpResponse<String> dashboard =
          client.send(
              HttpRequest.newBuilder(base.resolve("/millicent/admin/dashboard"))
                  .header("Authorization", "Bearer admin-token-0123456789")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(dashboard.statusCode()).isEqualTo(403);
      assertThat(dashboard.body()).contains("\"code\":\"insecure-channel\"");
      HttpResponse<String> broker =
          client.send(
              HttpRequest.newBuilder(base.resolve("/millicent/broker/received"))
                  .header("Authorization", "Bearer some-broker-token")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(broker.statusCode()).isEqualTo(403);
      assertThat(broker.body()).contains("\"code\":\"insecure-channel\"");
      HttpResponse<String> offer =
          client.send(
              HttpRequest.newBuilder(base.resolve("/pages/haiku.html")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(offer.statusCode()).isEqualTo(402);
    }
  }
}
