package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.scrip.Scrip;
import org.millicent.vendor.BrokerJoin;
import org.millicent.vendor.VendorServer;

/**
 * A zero-configuration broker and a zero-configuration vendor started with a broker URL
 * (docs/BROKER.md, "Vendors that join"): the broker sells the vendor's scrip under the licence the
 * vendor brought, at once and after both restart; a second vendor under the same name with other
 * keys is refused; a wrong join token is refused.
 */
class VendorJoinIT {
  private static final String PAGE = "/pages/haiku.html";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir Path dir;

  private BrokerServer broker;
  private VendorServer vendor;

  @AfterEach
  void stop() {
    if (vendor != null) {
      vendor.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private BrokerServer startBroker() {
    return BrokerServer.start(BrokerConfig.defaults().withListen("127.0.0.1", 0), dir.resolve("b"));
  }

  private VendorServer startVendor(String folder) {
    return VendorServer.start(
        org.millicent.vendor.config.VendorConfig.sampleBuilder().port(0).build(),
        dir.resolve(folder),
        new BrokerJoin(broker.url(), null));
  }

  /** Buys venetia scrip at the broker and pays for the page with it; returns the scrip. */
  private Scrip buyAndSpend(HttpClientSupport http) {
    HttpClientSupport.Registered alice = http.register("alice");
    HttpClientSupport.Reply r =
        http.account(
            "POST",
            "/broker/vendor-scrip",
            "{\"vendor\":\"venetia\",\"amount_millicents\":1000}",
            alice.id(),
            alice.secret());
    assertThat(r.status()).as("%s", r.json()).isEqualTo(200);
    assertThat(r.json().get("supply").asText()).isEqualTo("licensed");
    HttpClientSupport.VendorScrip bought = HttpClientSupport.opened(alice.secret(), "venetia", r);
    assertThat(HttpClientSupport.pay(vendor.url(), PAGE, bought).status()).isEqualTo(200);
    return bought.scrip();
  }

  @Test
  void aVendorStartedWithTheBrokersUrl_isSoldAtOnce_namesTheBroker_andIsSettled() {
    broker = startBroker();
    vendor = startVendor("v");

    assertThat(broker.broker().vendor("venetia")).isPresent();
    HttpClientSupport http = new HttpClientSupport(broker.url());
    JsonNode manifest = http.send("GET", "/.well-known/millicent", null, null).json();
    assertThat(manifest.get("vendors").get(0).get("vendor").asText()).isEqualTo("venetia");
    assertThat(manifest.get("vendors").get(0).get("supply").asText()).isEqualTo("licensed");
    HttpClientSupport.Reply offer =
        new HttpClientSupport(vendor.url()).send("GET", PAGE, null, null);
    assertThat(offer.status()).isEqualTo(402);
    assertThat(offer.raw().headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("brokers=\"" + broker.url() + "\"");

    Scrip bought = buyAndSpend(http);
    assertThat(bought.id().keyId()).as("minted under the licence").isGreaterThanOrEqualTo(128);
    SettlementResult settled = broker.settle("venetia");
    assertThat(settled.accepted()).containsExactly(bought.id().toLong());
  }

  @Test
  void afterBothRestart_theJoinHolds_withTheSameLicence_atTheVendorsNewPort() {
    broker = startBroker();
    vendor = startVendor("v");
    String licence = broker.broker().licences().get("venetia").orElseThrow().licenceId();
    int port = broker.url().getPort();
    vendor.close();
    vendor = null;
    broker.close();

    // At the same URL: the vendor hands its licence to the origin it was issued to only.
    broker =
        BrokerServer.start(BrokerConfig.defaults().withListen("127.0.0.1", port), dir.resolve("b"));
    assertThat(broker.broker().vendor("venetia")).as("kept in the broker's database").isPresent();
    vendor = startVendor("v");

    assertThat(broker.broker().licences().get("venetia").orElseThrow().licenceId())
        .isEqualTo(licence);
    assertThat(broker.broker().vendor("venetia").orElseThrow().url()).isEqualTo(vendor.url());
    HttpClientSupport http = new HttpClientSupport(broker.url());
    buyAndSpend(http);
  }

  @Test
  void anotherVendorUnderAJoinedName_withOtherKeys_isRefused_andTheFirstStays() {
    broker = startBroker();
    vendor = startVendor("v");
    String licence = broker.broker().licences().get("venetia").orElseThrow().licenceId();

    assertThatThrownBy(() -> startVendor("impostor"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("vendor-exists");

    assertThat(broker.broker().licences().get("venetia").orElseThrow().licenceId())
        .isEqualTo(licence);
    HttpClientSupport http = new HttpClientSupport(broker.url());
    buyAndSpend(http);
  }

  @Test
  void aVendorJoiningUnderAConfiguredVendorsName_isRefused() {
    broker =
        BrokerServer.start(
            BrokerConfig.defaults()
                .withListen("127.0.0.1", 0)
                .withVendor(
                    VendorConfig.licensed(
                        "venetia",
                        URI.create("http://127.0.0.1:9"),
                        "configured-token-0123456789",
                        null,
                        500)),
            dir.resolve("b"));

    assertThatThrownBy(() -> startVendor("v"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("vendor-exists")
        .hasMessageContaining("configuration");
    assertThat(broker.broker().vendor("venetia").orElseThrow().url())
        .isEqualTo(URI.create("http://127.0.0.1:9"));
  }

  @Test
  void aWrongJoinToken_isRefused401_beforeTheBodyIsRead() {
    broker = startBroker();
    HttpClientSupport http = new HttpClientSupport(broker.url());

    HttpClientSupport.Reply r =
        http.send("POST", "/broker/vendors/join", "{}", "Bearer not-the-join-token-at-all");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("unauthorized");
    assertThat(r.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(r.json().toString()).doesNotContain(broker.joinToken());
    assertThat(broker.broker().vendors()).isEmpty();
  }

  @Test
  void theRightJoinToken_isAccepted_andABadBodyIsABadRequest() {
    broker = startBroker();
    HttpClientSupport http = new HttpClientSupport(broker.url());

    HttpClientSupport.Reply r =
        http.send(
            "POST",
            "/broker/vendors/join",
            "{\"vendor\":\"venetia\",\"url\":\"ftp://x\",\"token\":\"t\",\"licence\":{}}",
            "Bearer " + broker.joinToken());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("bad-request");
    assertThat(broker.broker().vendors()).isEmpty();
  }

  @Test
  void aVendorJoiningAnUnreachableBroker_failsToStart_sayingWhatToDo() {
    URI nowhere = URI.create("http://127.0.0.1:1");
    assertThatThrownBy(
            () ->
                VendorServer.start(
                    org.millicent.vendor.config.VendorConfig.sampleBuilder().port(0).build(),
                    dir.resolve("v"),
                    new BrokerJoin(nowhere, null, java.time.Duration.ofMillis(300))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not reach the broker at " + nowhere)
        .hasMessageContaining("millicent broker serve");
  }

  private HttpClientSupport.Reply join(HttpClientSupport http, JsonNode licence, Object discount)
      throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode body = m.createObjectNode();
    body.put("vendor", licence.get("vendor").asText());
    body.put("url", vendor.url().toString());
    body.put("token", "a-token-of-sixteen-or-more");
    if (discount != null) {
      body.put("discount_bps", (Integer) discount);
    }
    body.set("licence", licence);
    return http.send("POST", "/broker/vendors/join", m.writeValueAsString(body), null);
  }

  /** Starts the broker and vendor "v", which joins it; the licence the broker then holds. */
  private org.millicent.broker.supply.Licence joined() {
    broker = startBroker();
    vendor = startVendor("v");
    return broker.broker().licences().get("venetia").orElseThrow();
  }

  /** {@code licence} as the JSON a join sends, for a test to alter. */
  private static com.fasterxml.jackson.databind.node.ObjectNode jsonOf(
      org.millicent.broker.supply.Licence licence) {
    return JSON.valueToTree(licence.toJson());
  }

  @Test
  void aRejoinWithTheSameLicenceIdButOtherTerms_isRefused_andTheStoredTermsStay() throws Exception {
    org.millicent.broker.supply.Licence held = joined();
    HttpClientSupport http = new HttpClientSupport(broker.url());

    com.fasterxml.jackson.databind.node.ObjectNode cheaper = jsonOf(held);
    cheaper.put("discount_bps", held.discountBps() + 2_000);
    HttpClientSupport.Reply r = join(http, cheaper, null);
    assertThat(r.status()).as("%s", r.json()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("licence-conflict");

    com.fasterxml.jackson.databind.node.ObjectNode longer = jsonOf(held);
    longer.put("scrip_lifetime_seconds", held.scripLifetimeSeconds() * 10);
    assertThat(join(http, longer, null).code()).isEqualTo("licence-conflict");

    org.millicent.broker.supply.Licence after =
        broker.broker().licences().get("venetia").orElseThrow();
    assertThat(after.discountBps()).isEqualTo(held.discountBps());
    assertThat(after.scripLifetimeSeconds()).isEqualTo(held.scripLifetimeSeconds());
    // The same licence again is still a plain re-join.
    assertThat(join(http, jsonOf(held), null).status()).isEqualTo(200);
  }

  @Test
  void aJoinsDiscount_mustBeTheLicences_andALicenceOfAnotherVendor_isRefused() throws Exception {
    org.millicent.broker.supply.Licence held = joined();
    HttpClientSupport http = new HttpClientSupport(broker.url());

    HttpClientSupport.Reply d = join(http, jsonOf(held), held.discountBps() + 1);
    assertThat(d.status()).as("%s", d.json()).isEqualTo(400);
    assertThat(d.json().get("detail").asText()).contains("discount_bps");

    com.fasterxml.jackson.databind.node.ObjectNode other = jsonOf(held);
    other.put("vendor", "mallory");
    HttpClientSupport.Reply o = join(http, other, null);
    assertThat(o.status()).as("%s", o.json()).isEqualTo(409);
    assertThat(o.code()).isEqualTo("licence-conflict");
    assertThat(broker.broker().vendor("mallory")).isEmpty();
  }

  @Test
  void aLicenceWithTheVendorsOwnKeyIds_orAKeyIdTwice_isABadRequest() throws Exception {
    org.millicent.broker.supply.Licence held = joined();
    HttpClientSupport http = new HttpClientSupport(broker.url());

    com.fasterxml.jackson.databind.node.ObjectNode own = jsonOf(held);
    own.put("licence_id", "lic-own-keys");
    ((com.fasterxml.jackson.databind.node.ObjectNode) own.get("key_ids").get(0)).put("key_id", 5);
    HttpClientSupport.Reply r = join(http, own, null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).contains("key id 5");

    com.fasterxml.jackson.databind.node.ObjectNode twice = jsonOf(held);
    twice.put("licence_id", "lic-twice");
    com.fasterxml.jackson.databind.node.ArrayNode ks =
        (com.fasterxml.jackson.databind.node.ArrayNode) twice.get("key_ids");
    ks.add(ks.get(0).deepCopy());
    HttpClientSupport.Reply t = join(http, twice, null);
    assertThat(t.status()).isEqualTo(400);
    assertThat(t.json().get("detail").asText()).contains("listed twice");

    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
    body.put("vendor", "venetia");
    body.put("url", "http://user:hunter2-password@127.0.0.1:9");
    body.put("token", "a-token-of-sixteen-or-more");
    body.set("licence", jsonOf(held));
    HttpClientSupport.Reply u =
        http.send("POST", "/broker/vendors/join", JSON.writeValueAsString(body), null);
    assertThat(u.status()).isEqualTo(400);
    assertThat(u.json().get("detail").asText())
        .contains("user name or password")
        .doesNotContain("hunter2");
    assertThat(broker.broker().vendor("venetia").orElseThrow().url().toString())
        .doesNotContain("hunter2");
  }

  @Test
  void aVendorRestartedWithAnotherBrokerOfTheSameId_isRefused_andHandsItNoSecret() {
    broker = startBroker();
    vendor = startVendor("v");
    URI first = broker.url();
    vendor.close();
    vendor = null;
    BrokerServer other =
        BrokerServer.start(BrokerConfig.defaults().withListen("127.0.0.1", 0), dir.resolve("b2"));
    try {
      assertThat(other.broker().id()).isEqualTo(broker.broker().id());
      assertThatThrownBy(
              () ->
                  VendorServer.start(
                      org.millicent.vendor.config.VendorConfig.sampleBuilder().port(0).build(),
                      dir.resolve("v"),
                      new BrokerJoin(other.url(), null)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(first.toString())
          .hasMessageContaining(other.url().toString())
          .hasMessageContaining("broker_id");
      assertThat(other.broker().vendor("venetia")).as("got no licence").isEmpty();
      assertThat(other.broker().licences()).doesNotContainKey("venetia");
    } finally {
      other.close();
    }
    // The broker it was issued to still takes it.
    vendor = startVendor("v");
    assertThat(broker.broker().vendor("venetia")).isPresent();
  }
}
