package org.millicent.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends big-endian fields to a growing byte array; the writer behind every canonical encoding in
 * docs/PROTOCOL.md. Not thread-safe.
 */
public final class ByteWriter {
  private byte[] buf;
  private int len;

  /** Whether {@link #toByteArray} returned {@code buf} itself; it must then never be written. */
  private boolean handedOver;

  /**
   * A writer with room for {@code capacity} bytes before it grows. Give the exact final length
   * where it is known: then {@link #toByteArray} needs no copy.
   */
  public ByteWriter(int capacity) {
    buf = new byte[Math.max(0, capacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      handedOver = false;
    }
  }

  /** Appends one unsigned byte. */
  public ByteWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  /** Appends two bytes, big-endian. */
  public ByteWriter u16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  /** Appends eight bytes, big-endian. */
  public ByteWriter u64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
    return this;
  }

  /** Appends the bytes as they are. */
  public ByteWriter raw(byte[] b) {
    return raw(b, 0, b.length);
  }

  /** Appends part of an array as it is. */
  public ByteWriter raw(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  /** Appends a one-byte length and then the bytes; the caller has checked the length fits. */
  public ByteWriter bytes8(byte[] b) {
    return u8(b.length).raw(b);
  }

  /** Appends a two-byte length and then the bytes; the caller has checked the length fits. */
  public ByteWriter bytes16(byte[] b) {
    return u16(b.length).raw(b);
  }

  /** Appends a one-byte length and then the UTF-8 bytes of the string. */
  public ByteWriter string8(String s) {
    if (isAscii(s)) {
      return u8(s.length()).ascii(s);
    }
    return bytes8(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a two-byte length and then the UTF-8 bytes of the string. */
  public ByteWriter string16(String s) {
    if (isAscii(s)) {
      return u16(s.length()).ascii(s);
    }
    return bytes16(s.getBytes(StandardCharsets.UTF_8));
  }

  // Vendor ids, property keys, methods and most targets are ASCII, whose UTF-8 form is one byte per
  // char: written in place, they cost no temporary array on the hot path of every MAC input.
  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private ByteWriter ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** The number of bytes written so far. */
  public int length() {
    return len;
  }

  /**
   * The bytes written. When the writer was sized exactly (the usual case for fixed layouts), this
   * is its own array, handed over without a copy: a full array is never written to again, since any
   * further write first moves to a larger one. Otherwise, or when asked twice, a copy.
   */
  public byte[] toByteArray() {
    if (len == buf.length && !handedOver) {
      handedOver = true;
      return buf;
    }
    return Arrays.copyOf(buf, len);
  }
}
