package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.protocol.Nonce;

/**
 * With the broker's database gone (its pool closed under the running server), the requests that
 * read the database answer {@code 503} with a {@code storage-*} problem document, not {@code 500}:
 * every read goes through the storage module's error translation (issue 14, part 2).
 */
class BrokerStorageOutageIT {
  @TempDir Path dir;

  private BrokerServer server;
  private HttpClientSupport http;

  @BeforeEach
  void start() {
    server = BrokerServer.start(BobSellsVenetia.config(), dir.resolve("data"));
    http = new HttpClientSupport(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void readsOfAClosedDatabase_answer503StorageProblems() {
    HttpClientSupport.Registered alice = http.register("alice");
    String account = "/broker/accounts/" + Long.toUnsignedString(alice.id());
    Nonce n = Nonce.random(new SecureRandom());
    String buy = "{\"amount_millicents\":5000}";
    assertThat(http.account("POST", "/broker/scrip", buy, alice.id(), alice.secret(), n).status())
        .isEqualTo(200);
    String admin = "Bearer " + server.adminToken();
    assertThat(http.send("GET", "/broker/admin/statements/vendors/venetia", null, admin).status())
        .isEqualTo(200);

    server.broker().books().database().close();

    assertStorageProblem(
        http.account("GET", account + "/statement", null, alice.id(), alice.secret()));
    // A retry of the purchase looks its sale up in the books.
    assertStorageProblem(http.account("POST", "/broker/scrip", buy, alice.id(), alice.secret(), n));
    assertStorageProblem(
        http.send(
            "POST",
            "/broker/settlements",
            "{\"vendor\":\"venetia\",\"scrip_ids\":[\"12345\"]}",
            BobSellsVenetia.SETTLES));
    assertStorageProblem(http.send("GET", "/broker/admin/statements/vendors/venetia", null, admin));
    assertStorageProblem(http.send("POST", "/broker/admin/statements/close", null, admin));
    HttpClientSupport.Reply health = http.send("GET", "/health", null, null);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().get("database").asText()).isEqualTo("down");
  }

  private static void assertStorageProblem(HttpClientSupport.Reply r) {
    assertThat(r.status()).as(r.json().toString()).isEqualTo(503);
    assertThat(r.code()).startsWith("storage-");
    assertThat(r.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
  }
}
