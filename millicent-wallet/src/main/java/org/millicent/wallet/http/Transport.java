package org.millicent.wallet.http;

import java.io.IOException;

/** Sends a request and returns its response: the network, or the rest of an interceptor chain. */
@FunctionalInterface
public interface Transport {
  /**
   * Sends {@code request}.
   *
   * @throws IOException when no response arrived (the request may or may not have been acted on)
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  Response send(Request request) throws IOException, InterruptedException;
}
