package org.millicent.vendor.content;

import org.millicent.vendor.config.Content;

/**
 * Where the vendor's resources come from: the built-in sample site, a static folder or a
 * reverse-proxied origin. The gateway charges only when the answer is not a server failure: local
 * content is fetched before the payment is spent (in one step), an origin is called between the
 * claim and the commit. Implementations are thread-safe.
 */
public interface ContentSource extends AutoCloseable {
  /**
   * Whether the canonical (decoded) {@code path} can name a resource: false lets the gateway answer
   * 404 without asking for payment. An origin may always have it.
   */
  boolean mayExist(String path);

  /**
   * Whether {@link #fetch} only reads local content, with no side effect and no other party to
   * tell: then the gateway fetches first and spends the payment in one step afterwards (one durable
   * write, and the database decides at once in shared mode), instead of claiming, fetching and
   * committing. An origin is not local: its answer may depend on the request having been paid for.
   */
  default boolean isLocal() {
    return false;
  }

  /**
   * Fetches the content for {@code request}.
   *
   * @throws OriginException when the origin is unreachable or too slow
   */
  ContentResponse fetch(ContentRequest request) throws OriginException;

  /** Releases connections or files. */
  @Override
  void close();

  /**
   * The source for a configured kind of content; an origin's answers are read up to {@code
   * maxAnswerBytes} ({@code max_answer_bytes}).
   */
  static ContentSource of(Content content, int maxAnswerBytes) {
    return switch (content) {
      case Content.Sample s -> new SampleSite();
      case Content.StaticFolder f -> new StaticFolder(f.root());
      case Content.Origin o -> new OriginProxy(o.url(), o.timeout(), maxAnswerBytes);
    };
  }
}
