package org.millicent.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads big-endian fields from a byte array, failing with {@link Truncated} when the input ends
 * early. Not thread-safe.
 */
public final class ByteReader {
  /** The input ended before a field, or a string was not valid UTF-8. */
  public static final class Truncated extends Exception {
    private static final long serialVersionUID = 1L;

    Truncated(String message) {
      super(message);
    }
  }

  private final byte[] in;
  private final int end;
  private int pos;

  /** Reads {@code in} from its first byte to its last. */
  public ByteReader(byte[] in) {
    this.in = in;
    this.end = in.length;
  }

  private void need(int n, String what) throws Truncated {
    if (end - pos < n) {
      throw new Truncated("input ends at byte " + end + " inside " + what);
    }
  }

  /** One unsigned byte. */
  public int u8(String what) throws Truncated {
    need(1, what);
    return in[pos++] & 0xff;
  }

  /** Two bytes, big-endian, unsigned. */
  public int u16(String what) throws Truncated {
    need(2, what);
    int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Eight bytes, big-endian. */
  public long u64(String what) throws Truncated {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  /** The next {@code n} bytes. */
  public byte[] raw(int n, String what) throws Truncated {
    need(n, what);
    byte[] out = Arrays.copyOfRange(in, pos, pos + n);
    pos += n;
    return out;
  }

  /** The next {@code n} bytes as strict UTF-8. */
  public String utf8(int n, String what) throws Truncated {
    need(n, what);
    if (isAscii(pos, n)) {
      // The common case (vendor ids, property keys): ASCII is valid UTF-8 and decodes byte for
      // byte, without the cost of a fresh CharsetDecoder per field.
      String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
      pos += n;
      return s;
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(in, pos, n))
              .toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new Truncated(what + " is not valid UTF-8");
    }
  }

  private boolean isAscii(int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (in[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The offset of the next byte to read. */
  public int position() {
    return pos;
  }

  /** How many bytes are left. */
  public int remaining() {
    return end - pos;
  }
}
