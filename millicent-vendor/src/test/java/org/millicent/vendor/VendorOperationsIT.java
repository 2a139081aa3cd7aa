package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;
import org.millicent.vendor.testing.TestHttp;

/**
 * Operational honesty (issue 12, part 6): {@code /health} says when storage fails, a second vendor
 * on one data folder is refused at start, and the data folder is private (0700).
 */
class VendorOperationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static VendorConfigBuilder sample() {
    return VendorConfig.sampleBuilder().port(0);
  }

  @Test
  void dataFolder_isCreatedReadableByTheOwnerOnly() throws Exception {
    Path data = dir.resolve("new/vendor-data");
    try (VendorServer vendor = VendorServer.start(sample().build(), data)) {
      assertThat(vendor.url()).isNotNull();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void secondVendorOnTheSameDataFolder_isRefusedAtStart_andTheFolderIsFreeAgainAfterStop() {
    try (VendorServer first = VendorServer.start(sample().build(), dir)) {
      assertThatThrownBy(() -> VendorServer.start(sample().build(), dir).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another vendor is already running on the data folder")
          .hasMessageContaining(dir.toString());
      assertThat(new TestHttp(first.url()).get("/health").statusCode()).isEqualTo(200);
    }
    try (VendorServer again = VendorServer.start(sample().build(), dir)) {
      assertThat(new TestHttp(again.url()).get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void health_isDown_whenTheSqliteTablesAreGone() throws Exception {
    try (VendorServer vendor = VendorServer.start(sample().build(), dir)) {
      TestHttp http = new TestHttp(vendor.url());
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:sqlite:" + dir.resolve(VendorServer.DATABASE_FILE));
          Statement s = c.createStatement()) {
        s.execute("PRAGMA foreign_keys=OFF");
        s.execute("DROP TABLE vendor_master_secrets");
      }
      assertDown(http.get("/health"));
    }
  }

  @Test
  void health_isDown_whenThePostgresSchemaIsDropped() throws Exception {
    String schema = TestDatabases.postgresConfig(4).schema();
    String url = TestDatabases.postgresUrl(schema);
    try (VendorServer vendor = VendorServer.start(sample().database(url).build(), dir)) {
      TestHttp http = new TestHttp(vendor.url());
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
      try (Connection c = DriverManager.getConnection(TestDatabases.postgresUrl());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      }
      assertDown(http.get("/health"));
    }
  }

  private static void assertDown(HttpResponse<byte[]> health) throws Exception {
    assertThat(health.statusCode()).as(TestHttp.text(health)).isEqualTo(503);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("down");
    assertThat(body.get("vendor").asText()).isEqualTo("venetia");
    assertThat(body.get("database").asText()).startsWith("failed: storage failed (storage-");
  }
}
