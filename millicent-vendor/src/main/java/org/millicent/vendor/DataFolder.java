package org.millicent.vendor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The vendor's data folder on disk: created private to its owner, holding the generated admin token
 * ({@value VendorServer#ADMIN_TOKEN_FILE}) besides the lock and the SQLite database. Stateless and
 * thread-safe; two processes may create the token at once (see {@link #adminToken}).
 */
final class DataFolder {
  private DataFolder() {}

  /** Creates the data folder, and any missing parent, readable by the owner only (0700). */
  static void createPrivate(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir); // not a POSIX file system
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + dir, e);
    }
  }

  /**
   * The admin token in {@code dataDir}, generated at the first start. The token is written to a
   * private temporary file and then linked into place, which fails if the file exists: two
   * processes starting together on one folder both end up with the winner's token, and no reader
   * ever sees a half-written file.
   */
  static String adminToken(Path dataDir, SecureRandom random) {
    Path file = dataDir.resolve(VendorServer.ADMIN_TOKEN_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
      byte[] b = new byte[24];
      random.nextBytes(b);
      String token = HexFormat.of().formatHex(b);
      Path tmp;
      try {
        tmp =
            Files.createTempFile(
                dataDir,
                VendorServer.ADMIN_TOKEN_FILE,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        tmp = Files.createTempFile(dataDir, VendorServer.ADMIN_TOKEN_FILE, ".tmp");
      }
      try {
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        Files.createLink(file, tmp);
        return token;
      } catch (FileAlreadyExistsException e) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token " + file, e);
    }
  }
}
