package org.millicent.vendor.content;

import java.io.IOException;
import java.io.Serial;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * An origin's answer body, read into one array up to {@code max_answer_bytes}: refused unread when
 * the origin announced more, and as soon as more has come when it did not (cancelling the
 * subscription drops the connection), so that no answer can fill the vendor's memory. Read as the
 * bytes arrive, without a thread waiting on them, so that {@link OriginProxy} can give up on a body
 * that trickles past its deadline. The HTTP client calls a subscriber's methods one at a time
 * (Flow's rule), so it needs no lock; its future is what other threads see.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The failure that says the answer is over the limit, for the proxy to refuse as such. */
  static final class TooLarge extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    TooLarge(int maxBytes) {
      super(OriginException.TooLarge.detail(maxBytes));
    }
  }

  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final long announced;
  private final int maxBytes;
  private byte[] bytes;
  private int size;
  private Flow.@Nullable Subscription subscription;

  private BoundedBody(long announced, int maxBytes) {
    this.announced = announced;
    this.maxBytes = maxBytes;
    // An answer announced over the limit is refused unread: no buffer of the limit for it.
    this.bytes = new byte[announced > maxBytes ? 0 : (int) Math.max(0, announced)];
  }

  /**
   * The body subscriber for the answer described by {@code info}. The length announced in the
   * answer to a HEAD, a 204 or a 304 is not its body's (RFC 9110, 8.6), which is empty.
   */
  static BoundedBody of(HttpResponse.ResponseInfo info, boolean head, int maxBytes) {
    long announced =
        head || info.statusCode() == 204 || info.statusCode() == 304
            ? -1
            : info.headers().firstValueAsLong("content-length").orElse(-1);
    return new BoundedBody(announced, maxBytes);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (announced > maxBytes) {
      s.cancel();
      body.completeExceptionally(new TooLarge(maxBytes));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if (n > maxBytes - size) {
        if (subscription != null) {
          subscription.cancel();
        }
        body.completeExceptionally(new TooLarge(maxBytes));
        return;
      }
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + n, 2L * size)));
      }
      b.get(bytes, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (announced >= 0 && size < announced) {
      body.completeExceptionally(
          new IOException("the answer ended after " + size + " of " + announced + " bytes"));
      return;
    }
    body.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
  }
}
