package org.millicent.wallet.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that merely claims a vendor's name (issue 12, part 3): it answers every request {@code
 * 402} with a Millicent offer in that vendor's name naming the vendor's real broker, and a paid
 * request {@code 403 forged}, as the 30-line server of the reproduction did. It records every
 * {@code Authorization} it receives, so a test can check it was sent nothing. Thread-safe.
 */
public final class Impostor extends TestServer {
  private final String vendor;
  private final URI broker;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** An impostor answering as {@code vendor}, naming {@code broker}. */
  public Impostor(String vendor, URI broker) throws IOException {
    this.vendor = vendor;
    this.broker = broker;
  }

  /** Every {@code Authorization} header value it received. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Every request it received, as {@code METHOD path}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  Answer handle(HttpExchange ex, byte[] body) {
    requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
    List<String> auth = ex.getRequestHeaders().get("Authorization");
    if (auth != null && !auth.isEmpty()) {
      authorizations.addAll(auth);
      return problem(403, "forged", "the scrip does not verify");
    }
    return new Answer(
        402,
        Map.of(
            "WWW-Authenticate",
            "Millicent v=2, vendor="
                + vendor
                + ", price=100, currency=USD, variants=\"signed private\", brokers=\""
                + broker
                + "\"",
            "Cache-Control",
            "no-store",
            "Content-Type",
            "application/problem+json"),
        "{\"code\":\"payment-required\"}".getBytes(StandardCharsets.UTF_8));
  }
}
