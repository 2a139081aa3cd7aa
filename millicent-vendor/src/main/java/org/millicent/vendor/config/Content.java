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
   * <p>Read from YAML, the folder may be missing until the configuration is validated as a whole,
   * which reports it; {@link #root()} then throws.
   *
   * @param root the folder
   */
  record StaticFolder(@Nullable Path root) implements Content {
    /** The folder, set in every validated configuration. */
    @Override
    public Path root() {
      return VendorConfigChecks.validated(root, "static folder");
    }

    /** The folder as configured, null when missing: for validation, which reports that. */
    @Nullable Path configuredRoot() {
      return root;
    }
  }

  /**
   * A reverse-proxied origin server: each request is forwarded with its method, target and body.
   * Read from YAML, the timeout may be missing (not a duration) until the configuration is
   * validated as a whole, which reports it; {@link #timeout()} then throws.
   *
   * @param url the origin's base URL (http or https)
   * @param timeout how long to wait for the origin's whole answer, its body included
   * @param paidHeadersKeyFile the file holding the key shared with the origin, under which paid
   *     requests carry signed {@code Millicent-Paid-*} headers (docs/ORIGIN.md; {@link
   *     PaidHeadersKey}); {@code null}: no such headers are sent
   */
  record Origin(URI url, @Nullable Duration timeout, @Nullable Path paidHeadersKeyFile)
      implements Content {
    /** An origin without paid headers. */
    public Origin(URI url, @Nullable Duration timeout) {
      this(url, timeout, null);
    }

    /**
     * How long to wait for the origin's whole answer, body included, set in every validated
     * configuration.
     */
    @Override
    public Duration timeout() {
      return VendorConfigChecks.validated(timeout, "origin timeout");
    }

    /** The timeout as configured, null when missing: for validation, which reports that. */
    @Nullable Duration configuredTimeout() {
      return timeout;
    }
  }
}
