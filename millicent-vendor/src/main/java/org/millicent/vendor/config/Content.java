package org.millicent.vendor.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Where the vendor's resources come from. */
public sealed interface Content {
  /** The built-in sample catalogue: a free index page and a few priced pages. */
  record Sample() implements Content {}

  /**
   * Files under a folder; a path naming a folder serves its {@code index.html}.
   *
   * @param root the folder
   */
  record StaticFolder(Path root) implements Content {}

  /**
   * A reverse-proxied origin server: each request is forwarded with its method, target and body.
   *
   * @param url the origin's base URL (http or https)
   * @param timeout how long to wait for the origin's answer
   * @param paidHeadersKeyFile the file holding the key shared with the origin, under which paid
   *     requests carry signed {@code Millicent-Paid-*} headers (docs/ORIGIN.md; {@link
   *     PaidHeadersKey}); {@code null}: no such headers are sent
   */
  record Origin(URI url, Duration timeout, @Nullable Path paidHeadersKeyFile) implements Content {
    /** An origin without paid headers. */
    public Origin(URI url, Duration timeout) {
      this(url, timeout, null);
    }
  }
}
