package org.millicent.vendor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;

/**
 * One vendor server for all the tests of a class, as a JUnit extension: started on loopback before
 * the first test with its data in a fresh folder, stopped and its folder removed after the last,
 * with a {@link TestHttp} client of it and Alice, one of its own customers. Registered on a static
 * field; a test instance (created after the vendor started) may keep the client and Alice:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RunningVendor vendor = new RunningVendor(VendorConfig.sampleBuilder().port(0).build());
 * private final TestHttp http = vendor.http();
 * }</pre>
 *
 * The one start-up of the vendor ITs that sell from one sample vendor; shipped in
 * millicent-vendor's test-jar. Not thread-safe while it starts or stops (JUnit does both on one
 * thread); its accessors fail outside that span.
 */
public final class RunningVendor implements BeforeAllCallback, AfterAllCallback {
  private final VendorConfig config;
  private Path dir;
  private VendorServer server;
  private TestHttp http;
  private OwnCustomer alice;

  /** A vendor that will run with {@code config}. */
  public RunningVendor(VendorConfig config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("millicent-vendor-");
    server = VendorServer.start(config, dir);
    http = new TestHttp(server.url());
    alice = OwnCustomer.of(server);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The running server. */
  public VendorServer server() {
    return started(server);
  }

  /** A client of it. */
  public TestHttp http() {
    return started(http);
  }

  /** Alice, an own customer of it. */
  public OwnCustomer alice() {
    return started(alice);
  }

  private static <T> T started(T value) {
    if (value == null) {
      throw new IllegalStateException("the vendor runs only while the test class runs");
    }
    return value;
  }
}
