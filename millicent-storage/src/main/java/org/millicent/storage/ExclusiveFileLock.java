package org.millicent.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process's exclusive hold on a lock file: an OS lock taken with {@link FileChannel#tryLock}
 * and released on {@link #close} (or by the OS when the process dies, so a crash never leaves it
 * held). Used where a second process on the same files would break a guarantee, such as two vendors
 * deciding spends in memory over one SQLite file. Not thread-safe; owned by one component.
 */
public final class ExclusiveFileLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ExclusiveFileLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code file} (created if absent; its folder must exist).
   *
   * @param heldMessage the message of the exception when another process (or another holder in this
   *     JVM) has it
   * @throws IllegalStateException with {@code heldMessage} when it is held elsewhere
   * @throws UncheckedIOException when the lock file cannot be opened or locked
   */
  public static ExclusiveFileLock acquire(Path file, String heldMessage) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the lock file " + file, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another holder in this JVM
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new IllegalStateException(heldMessage);
    }
    return new ExclusiveFileLock(channel, lock);
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
      throw new UncheckedIOException("cannot release a lock file", e);
    }
  }
}
