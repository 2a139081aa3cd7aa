package org.millicent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;

/**
 * A vendor gateway in its own JVM, started by {@code millicent bench vendor} so that the load
 * generator's work is not counted against the server: the same Java binary and class path as this
 * process, running {@code millicent vendor serve --port 0}, optionally bound to some CPUs with
 * {@code taskset}. Its address is read from the line it prints once it serves. Not thread-safe;
 * {@link #close} stops it.
 */
final class VendorProcess implements AutoCloseable {
  private static final String SERVING_AT = " serving at ";

  private final Process process;
  private final URI url;

  private VendorProcess(Process process, URI url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts {@code millicent vendor serve --config config --port 0 --data data}.
   *
   * @param cpus the CPUs to bind the server to (a {@code taskset -c} list), or null for any
   * @throws IOException when it cannot start or does not serve within a minute; the message holds
   *     what it printed
   */
  static VendorProcess start(Path config, Path data, @Nullable String cpus) throws IOException {
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    // Extra JVM options for the server only, e.g. to profile it.
    String extra = System.getenv("MILLICENT_BENCH_SERVER_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    // The CLI is on this class path whenever `millicent bench` runs (it found this command).
    command.add("org.millicent.cli.Main");
    command.addAll(
        List.of(
            "vendor",
            "serve",
            "--config",
            config.toString(),
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data",
            data.toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
            .start();
    StringBuilder seen = new StringBuilder();
    CompletableFuture<URI> served = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon(true)
        .name("bench-vendor-output")
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (seen) {
                    if (seen.length() < 20_000) {
                      seen.append(line).append('\n');
                    }
                  }
                  int at = line.indexOf(SERVING_AT);
                  if (at >= 0 && !served.isDone()) {
                    served.complete(URI.create(line.substring(at + SERVING_AT.length()).strip()));
                  }
                }
              } catch (IOException | RuntimeException e) {
                // The process ended or its address line was unreadable; reported below.
              }
              served.completeExceptionally(new IOException("the vendor process ended"));
            });
    try {
      URI url = served.get(60, TimeUnit.SECONDS);
      return new VendorProcess(p, url);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      String printed;
      synchronized (seen) {
        printed = seen.toString();
      }
      throw new IOException(
          "the vendor process did not start serving ("
              + Causes.describe(e)
              + "); it printed:\n"
              + printed);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the vendor process started", e);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** Where it serves. */
  URI url() {
    return url;
  }

  /** Its process ID. */
  long pid() {
    return process.pid();
  }

  /** Stops it (SIGTERM: it closes its database cleanly), forcibly after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code taskset} can bind processes to CPUs here. */
  static boolean canPin() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("taskset", "-p", String.valueOf(ProcessHandle.current().pid()))
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Binds every thread of this process, and so every thread it starts later, to {@code cpus}.
   *
   * @throws IOException when taskset fails
   */
  static void pinSelf(String cpus) throws IOException {
    try {
      Process p =
          new ProcessBuilder(
                  "taskset", "-a", "-p", "-c", cpus, String.valueOf(ProcessHandle.current().pid()))
              .redirectErrorStream(true)
              .start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("taskset -a -p -c " + cpus + " failed: " + printed.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding to CPUs " + cpus, e);
    }
  }

  /** Writes {@code yaml} to {@code dir/vendor.yaml} and returns its path. */
  static Path writeConfig(Path dir, String yaml) throws IOException {
    return Files.writeString(dir.resolve("vendor.yaml"), yaml, StandardCharsets.UTF_8);
  }
}
