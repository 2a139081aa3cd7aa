package org.millicent.vendor;

import java.nio.file.Path;
import org.millicent.storage.ExclusiveFileLock;

/**
 * The exclusive hold of one vendor process on its data folder: an OS lock on {@value #FILE}, taken
 * at start and released on stop (or by the OS when the process dies). A second vendor on the same
 * folder would share the admin token and SQLite file but keep its own in-memory spent list, so it
 * is refused at start. Not thread-safe; owned by one {@link VendorServer}.
 */
final class DataFolderLock implements AutoCloseable {
  /** Name of the lock file in the data folder. */
  static final String FILE = "vendor.lock";

  private final ExclusiveFileLock lock;

  private DataFolderLock(ExclusiveFileLock lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}, which must exist.
   *
   * @throws IllegalStateException when another vendor holds it
   * @throws java.io.UncheckedIOException when the lock file cannot be opened
   */
  static DataFolderLock acquire(Path dataDir) {
    return new DataFolderLock(
        ExclusiveFileLock.acquire(
            dataDir.resolve(FILE),
            "another vendor is already running on the data folder "
                + dataDir
                + " (it holds "
                + FILE
                + "); stop it, or give this one another --data folder"));
  }

  /** Releases the lock; idempotent. */
  @Override
  public void close() {
    lock.close();
  }
}
