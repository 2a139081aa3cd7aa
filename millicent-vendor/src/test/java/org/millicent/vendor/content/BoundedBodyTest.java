package org.millicent.vendor.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {
  /** The answer's status line and headers, as the HTTP client hands them to a body handler. */
  private record Info(int statusCode, HttpHeaders headers) implements HttpResponse.ResponseInfo {
    static Info announcing(long contentLength) {
      return new Info(
          200,
          HttpHeaders.of(
              Map.of("content-length", List.of(Long.toString(contentLength))), (n, v) -> true));
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  /** The HTTP client's side of the subscription: what the body asked of it. */
  private static final class Connection implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  /**
   * An answer announced over {@code max_answer_bytes} is refused unread, so refusing it must not
   * allocate a buffer of the limit first: any client asking for such a path (free, or paid and
   * refused uncharged) would make the vendor allocate the limit (up to 1 GiB) per request, and a
   * few concurrent ones exhaust its heap. With the largest limit an int can say, allocating it
   * cannot even be attempted (the VM refuses such an array), which makes the allocation visible.
   */
  @Test
  void anAnswerAnnouncedOverTheLimit_isRefusedUnread_withoutAllocatingTheLimit() {
    BoundedBody body = BoundedBody.of(Info.announcing(Long.MAX_VALUE), false, Integer.MAX_VALUE);
    Connection connection = new Connection();

    body.onSubscribe(connection);

    assertThat(connection.cancelled).isTrue();
    assertThat(connection.requested).isZero();
    assertThat(body.getBody().toCompletableFuture())
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(BoundedBody.TooLarge.class);
  }
}
