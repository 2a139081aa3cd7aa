package org.millicent.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --port} and {@code --host} options of {@code broker serve} and {@code vendor serve}:
 * where the server listens, overriding its configuration. A picocli mixin; not thread-safe.
 */
public final class ListenOverrides {
  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port to listen on, overriding the configuration (0: any free port).")
  @Nullable Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Address to listen on, overriding the configuration.")
  @Nullable String host;

  /** Created by picocli. */
  public ListenOverrides() {}

  /** The port given, or {@code null} to keep the configured one. */
  public @Nullable Integer port() {
    return port;
  }

  /** The address given, or {@code null} to keep the configured one. */
  public @Nullable String host() {
    return host;
  }
}
