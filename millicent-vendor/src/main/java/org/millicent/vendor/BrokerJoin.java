package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker this vendor joins at start, with no configuration on either side (docs/BROKER.md,
 * "Vendors that join"; {@code millicent vendor serve --broker URL}): the vendor learns the broker's
 * id from its manifest, names it in its offers, issues it a licence (or hands over the one it
 * issued before) and registers with {@code POST /broker/vendors/join}, so the broker mints and
 * sells this vendor's scrip at once. The broker's bearer token at this vendor is derived from the
 * vendor's admin token, so it is the same at every restart without being stored; the licence is
 * kept in the vendor's database. Joining again after a restart changes nothing at the broker.
 *
 * <p>The join token is needed unless the broker is on this machine; the licence's secrets travel
 * only over TLS or loopback. Immutable; {@code toString} never prints the join token.
 */
public final class BrokerJoin {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerJoin.class);

  /** How long {@link VendorServer#start} waits for the broker to answer. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final URI broker;
  private final @Nullable String joinToken;
  private final Duration wait;

  /**
   * A join of the broker at {@code broker}, presenting {@code joinToken} (null: none, for a broker
   * on loopback), waiting up to {@code wait} for the broker to answer at start.
   *
   * @throws IllegalArgumentException when {@code broker} is not an http or https URL, or is plain
   *     http to another machine (the licence carries secrets)
   */
  public BrokerJoin(URI broker, @Nullable String joinToken, Duration wait) {
    if (broker == null
        || !("http".equals(broker.getScheme()) || "https".equals(broker.getScheme()))
        || broker.getHost() == null) {
      throw new IllegalArgumentException(
          "the broker's URL must be http:// or https:// with a host, found " + broker);
    }
    if ("http".equals(broker.getScheme()) && !isLoopback(broker.getHost())) {
      throw new IllegalArgumentException(
          "the broker at "
              + broker
              + " is on another machine: join it over https (the licence it receives is secret)");
    }
    this.broker = stripSlash(broker);
    this.joinToken = joinToken == null || joinToken.isBlank() ? null : joinToken.strip();
    this.wait = wait;
  }

  /** As {@link #BrokerJoin(URI, String, Duration)}, waiting {@link #DEFAULT_WAIT}. */
  public BrokerJoin(URI broker, String joinToken) {
    this(broker, joinToken, DEFAULT_WAIT);
  }

  /** The broker's base URL. */
  public URI broker() {
    return broker;
  }

  private static URI stripSlash(URI u) {
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if ("localhost".equalsIgnoreCase(h)) {
      return true;
    }
    try {
      // Only literal addresses are judged here: a name is never resolved.
      return h.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * {@code config} with the broker added: its id read from its manifest (waiting for it to answer
   * up to the wait given), the token derived from {@code adminToken}, no discount.
   *
   * @throws IllegalStateException when the broker does not answer in time or its manifest names no
   *     broker
   * @throws org.millicent.vendor.config.ConfigException when the broker's id or URL clashes with a
   *     configured broker's
   */
  VendorConfig addTo(VendorConfig config, String adminToken) {
    String id = brokerId();
    long customerId = 1;
    for (BrokerConfig b : config.brokers()) {
      customerId = Math.max(customerId, (b.customerId() & 0x00FF_FFFF_FFFF_FFFFL) + 1);
    }
    customerId |= (long) VendorConfig.BROKER_CUSTOMER_SELECTOR << 56;
    return config.toBuilder()
        .broker(new BrokerConfig(id, broker, token(adminToken, id), customerId, 0))
        .build();
  }

  private String brokerId() {
    URI manifest = URI.create(broker + "/.well-known/millicent");
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    HttpClient http = client();
    while (true) {
      String failure;
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(manifest).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          JsonNode id = new ObjectMapper().readTree(r.body()).get("broker");
          if (id != null && id.isTextual()) {
            return id.asText();
          }
          throw new IllegalStateException(
              manifest + " names no broker: is " + broker + " a Millicent broker?");
        }
        failure = "it answered " + r.statusCode();
      } catch (ConnectException e) {
        failure = "nothing listens there";
      } catch (IOException e) {
        failure = Causes.describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the broker at " + broker);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not reach the broker at "
                + broker
                + " ("
                + failure
                + ") within "
                + wait.toSeconds()
                + " s: is it running? Start it first with `millicent broker serve`");
      }
      if (!told) {
        LOG.info("waiting for the broker at {} ({})", broker, failure);
        told = true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the broker at " + broker);
      }
    }
  }

  /** The broker's bearer token at this vendor: HMAC-SHA256 of its id under the admin token. */
  static String token(String adminToken, String brokerId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(adminToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(
              mac.doFinal(("millicent-join-v1 " + brokerId).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /**
   * Registers the running vendor with the broker: the licence for it (the one held, or a new one)
   * with the vendor's URLs and the broker's token.
   *
   * @return whether the broker took the vendor as new (false: it had joined with the same licence)
   * @throws IllegalStateException when the broker refuses (with its code and detail) or cannot be
   *     reached
   */
  boolean register(VendorConfig config, Licences licences, URI vendorUrl) {
    BrokerConfig b =
        config.brokers().stream()
            .filter(x -> x.url().equals(broker))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the joined broker is not configured"));
    IssuedLicence licence = licences.forBroker(b.id(), broker);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("vendor", config.vendor());
    // Where the broker reaches the vendor: its first public URL, if it has any (a broker on
    // another machine cannot reach a loopback address), else where it listens.
    body.put(
        "url",
        config.publicUrls().isEmpty() ? vendorUrl.toString() : config.publicUrls().getFirst());
    body.put("public_urls", List.copyOf(config.publicUrls()));
    body.put("token", b.token());
    body.put("licence", licence.toJson(config.vendor(), config.scripLifetime()));
    ObjectMapper json = new ObjectMapper();
    HttpRequest.Builder r;
    try {
      r =
          HttpRequest.newBuilder(URI.create(broker + "/broker/vendors/join"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the join", e);
    }
    if (joinToken != null) {
      r.header("Authorization", "Bearer " + joinToken);
    }
    HttpResponse<byte[]> answer;
    try {
      answer = client().send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not reach the broker at " + broker + " to join it (" + Causes.describe(e) + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the broker at " + broker);
    }
    JsonNode reply;
    try {
      reply = json.readTree(answer.body());
    } catch (IOException e) {
      reply = null;
    }
    if (answer.statusCode() != 200) {
      String code = reply != null && reply.hasNonNull("code") ? reply.get("code").asText() : "";
      String detail =
          reply != null && reply.hasNonNull("detail") ? reply.get("detail").asText() : "";
      throw new IllegalStateException(
          "the broker at "
              + broker
              + " refused the join: "
              + answer.statusCode()
              + " "
              + code
              + (detail.isEmpty() ? "" : ": " + detail)
              + ("unauthorized".equals(code)
                  ? " (give the join token it printed at its start: MILLICENT_JOIN_TOKEN or --join-token)"
                  : ""));
    }
    boolean isNew = reply != null && "new".equals(reply.path("joined").asText());
    LOG.info(
        "vendor {} {} broker {} at {} (licence {})",
        config.vendor(),
        isNew ? "joined" : "is still joined to",
        b.id(),
        broker,
        licence.licence().licenceId());
    return isNew;
  }

  /** Names the broker; never the join token. */
  @Override
  public String toString() {
    return "BrokerJoin[" + broker + (joinToken == null ? "" : " with a join token") + "]";
  }
}
