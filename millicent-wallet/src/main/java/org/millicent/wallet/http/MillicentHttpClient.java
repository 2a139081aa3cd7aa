package org.millicent.wallet.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A companion to {@link HttpClient} that pays for what it fetches: requests pass through a chain of
 * {@link Interceptor}s (after OkHttp), application interceptors first, then the payment step, then
 * network interceptors, then the network. The payment step sees a {@code 402} carrying a Millicent
 * offer, has its {@link PaymentHandler} (the wallet) pay once, sends the paid request once, and
 * returns whatever that gives: it never loops. A request that already carries a Millicent {@code
 * Authorization} is not paid for again.
 *
 * <p>Bodies are held in memory both ways (a payment binds the body's digest, and the reply MAC
 * covers the response body), so this client is for priced resources, not bulk downloads.
 *
 * <p>Thread-safe: one instance serves any number of threads.
 */
public final class MillicentHttpClient {
  private final List<Interceptor> chain;

  private MillicentHttpClient(List<Interceptor> chain) {
    this.chain = List.copyOf(chain);
  }

  /** A builder with a fresh {@link HttpClient}, no payments and a 30-second timeout. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Sends {@code request} through the chain.
   *
   * @throws IOException when no response arrived
   * @throws InterruptedException when the thread was interrupted
   * @throws RuntimeException what the payment handler throws when it cannot or will not pay (the
   *     wallet's {@code WalletException}, e.g. {@code budget-exceeded})
   */
  public Response send(Request request) throws IOException, InterruptedException {
    return new RealChain(chain, 0, request).proceed(request);
  }

  /**
   * Sends a {@code java.net.http} request through the chain; its body publisher is read into memory
   * first.
   *
   * @throws IOException when no response arrived
   * @throws InterruptedException when the thread was interrupted
   */
  public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return send(Request.from(request)).toHttpResponse();
  }

  /** Builds a {@link MillicentHttpClient}. Not thread-safe. */
  public static final class Builder {
    private @Nullable HttpClient httpClient;
    private Duration timeout = Duration.ofSeconds(30);
    private @Nullable PaymentHandler payments;
    private final List<Interceptor> application = new ArrayList<>();
    private final List<Interceptor> network = new ArrayList<>();

    private Builder() {}

    /** The client that does the network I/O (default: HTTP/1.1, no redirects). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client);
      return this;
    }

    /** How long to wait for each response. */
    public Builder timeout(Duration t) {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + t);
      }
      this.timeout = t;
      return this;
    }

    /** Who pays 402s; without one, 402s are returned as they are. */
    public Builder payments(PaymentHandler handler) {
      this.payments = Objects.requireNonNull(handler);
      return this;
    }

    /** Adds an interceptor that runs before the payment step and sees the final response. */
    public Builder addInterceptor(Interceptor i) {
      application.add(Objects.requireNonNull(i));
      return this;
    }

    /** Adds an interceptor between the payment step and the network: it sees every exchange. */
    public Builder addNetworkInterceptor(Interceptor i) {
      network.add(Objects.requireNonNull(i));
      return this;
    }

    /** The client. */
    public MillicentHttpClient build() {
      List<Interceptor> all = new ArrayList<>(application);
      if (payments != null) {
        all.add(new PaymentInterceptor(payments));
      }
      all.addAll(network);
      HttpClient c = httpClient != null ? httpClient : NetworkTransport.defaultClient();
      NetworkTransport net = new NetworkTransport(c, timeout);
      all.add(chain -> net.send(chain.request()));
      return new MillicentHttpClient(all);
    }
  }

  /** A position in the chain; stateless, so an interceptor may proceed more than once. */
  private record RealChain(List<Interceptor> interceptors, int index, Request request)
      implements Interceptor.Chain {
    @Override
    public Response proceed(Request next) throws IOException, InterruptedException {
      if (index >= interceptors.size()) {
        throw new IllegalStateException("the last interceptor must not proceed");
      }
      return interceptors.get(index).intercept(new RealChain(interceptors, index + 1, next));
    }
  }
}
