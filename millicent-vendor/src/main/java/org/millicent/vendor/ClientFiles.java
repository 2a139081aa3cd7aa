package org.millicent.vendor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JavaScript client's browser modules, as the build copies them from {@code clients/js/src}
 * into the vendor's jar, served at {@code /millicent/client/{file}} for the paywall page's "Pay
 * with Millicent" button (docs/HTTP-API.md, "The paywall page"). Only plain module names are looked
 * up ({@code [a-z0-9-]+.js}), so no request reaches another resource. Thread-safe.
 */
final class ClientFiles {
  /** Where the modules are served. */
  static final String PATH = "/millicent/client/";

  private static final String RESOURCES = "client/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}\\.js");

  private final Map<String, byte[]> found = new ConcurrentHashMap<>();
  private final boolean available;

  ClientFiles() {
    this.available = read("index.js") != null;
  }

  /** Whether the jar holds the client (a build that copied it). */
  boolean available() {
    return available;
  }

  /** The module {@code name}, or null when there is none by that name. */
  byte @Nullable [] read(String name) {
    if (!NAME.matcher(name).matches()) {
      return null;
    }
    byte[] cached = found.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = ClientFiles.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        return null; // not cached: only names that exist are kept
      }
      byte[] b = in.readAllBytes();
      found.put(name, b);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the client module " + name, e);
    }
  }
}
