package org.millicent.vendor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive hold of one vendor process on its data folder: an OS lock on {@value #FILE}, taken
 * at start and released on stop (or by the OS when the process dies). A second vendor on the same
 * folder would share the admin token and SQLite file but keep its own in-memory spent list, so it
 * is refused at start. Not thread-safe; owned by one {@link VendorServer}.
 */
final class DataFolderLock implements AutoCloseable {
  /** Name of the lock file in the data folder. */
  static final String FILE = "vendor.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}, which must exist.
   *
   * @throws IllegalStateException when another vendor holds it
   * @throws UncheckedIOException when the lock file cannot be opened
   */
  static DataFolderLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data folder lock " + file, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another vendor in this JVM
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the data folder " + dataDir, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new IllegalStateException(
          "another vendor is already running on the data folder "
              + dataDir
              + " (it holds "
              + FILE
              + "); stop it, or give this one another --data folder");
    }
    return new DataFolderLock(channel, lock);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was locked
    }
  }

  /** Releases the lock; idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the data folder lock", e);
    }
  }
}
