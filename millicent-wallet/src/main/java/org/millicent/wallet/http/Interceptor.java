package org.millicent.wallet.http;

import java.io.IOException;

/**
 * One step of a {@link MillicentHttpClient}'s chain, after OkHttp's {@code Interceptor}: it sees
 * the request, may change it, passes it on with {@link Chain#proceed} (any number of times) and may
 * change the response. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Interceptor {
  /**
   * Handles one request.
   *
   * @throws IOException when the request could not be completed
   * @throws InterruptedException when the thread was interrupted
   */
  Response intercept(Chain chain) throws IOException, InterruptedException;

  /** The rest of the chain, as one interceptor sees it. */
  interface Chain {
    /** The request as it reached this interceptor. */
    Request request();

    /**
     * Passes {@code request} to the rest of the chain and returns its response.
     *
     * @throws IOException when no response arrived
     * @throws InterruptedException when the thread was interrupted
     */
    Response proceed(Request request) throws IOException, InterruptedException;
  }
}
