package org.millicent.vendor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.vendor.VendorKeys.Refused;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.VendorKeyStore;

/**
 * Opens the keys of a vendor that is not running ({@code millicent vendor keys} on a stopped
 * vendor's data folder, docs/VENDOR-KEYS.md): the data folder's lock, so that the vendor cannot
 * start meanwhile, and the configured database, both released when the {@link VendorKeys} are
 * closed. The scrip lifetime that dates a rotation's {@code expires_by} is the longest the vendor
 * ever ran with, as stored, not the given configuration's alone. Stateless.
 */
final class OfflineVendorKeys {
  private OfflineVendorKeys() {}

  /** See {@link VendorKeys#offline}. */
  static VendorKeys open(VendorConfig config, Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      throw new Refused(ProblemCode.NOT_FOUND, "no vendor data folder " + dataDir);
    }
    DataFolderLock lock;
    try {
      lock = DataFolderLock.acquire(dataDir);
    } catch (IllegalStateException e) {
      throw new Refused(
          ProblemCode.CONFLICT,
          "a vendor is running on "
              + dataDir
              + " (it holds "
              + DataFolderLock.FILE
              + "): change its keys through its admin endpoints (--url), not its database");
    }
    try {
      DatabaseConfig where =
          DatabaseConfig.parse(config.database(), dataDir, VendorServer.DATABASE_FILE);
      if (where instanceof DatabaseConfig.Sqlite s && !Files.exists(s.file())) {
        throw new Refused(
            ProblemCode.NOT_FOUND,
            "no vendor database "
                + s.file()
                + ": start the vendor once (it generates its keys), or give --data");
      }
      Database db = Database.open(where);
      // A command-line tool: wiring, where the real clock belongs.
      InstantSource clock = InstantSource.system();
      try {
        VendorKeyStore keyStore = VendorKeyStore.open(db, clock);
        if (!keyStore.vectors().hasMasterSecrets()) {
          throw new Refused(
              ProblemCode.NOT_FOUND,
              db.describe() + " holds no master secrets: start the vendor once to generate them");
        }
        GatewayStore gateway = new GatewayStore(db);
        // The stored high-water mark, never the given configuration alone (it may be the sample's
        // default, or shorter than what the vendor ran with); a database no vendor has started on
        // since the mark exists falls back to the given lifetime.
        Duration lifetime =
            gateway
                .scripLifetimeMark()
                .map(m -> m.compareTo(config.scripLifetime()) > 0 ? m : config.scripLifetime())
                .orElse(config.scripLifetime());
        return new VendorKeys(
            gateway,
            keyStore,
            lifetime,
            new SecureRandom(),
            clock,
            () -> {},
            () -> {
              try {
                db.close();
              } finally {
                lock.close();
              }
            });
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }
}
