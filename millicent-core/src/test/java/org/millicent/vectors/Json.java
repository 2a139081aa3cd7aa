package org.millicent.vectors;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer for the test-vector file, so that millicent-core needs no
 * JSON library. Reads objects as {@link LinkedHashMap} (a repeated name is an error), arrays as
 * {@link List}, strings, integers as {@link BigInteger} (no fractions or exponents: the vectors
 * have none), booleans and null. Writes the same types with two-space indentation. Stateless.
 */
final class Json {
  private Json() {}

  /** Thrown for any text that is not one strict JSON value. */
  static final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JsonException(String message, int at) {
      super(message + " at character " + at);
    }
  }

  static Object parse(String text) {
    Reader r = new Reader(text);
    r.ws();
    Object v = r.value();
    r.ws();
    if (r.i != text.length()) {
      throw new JsonException("expected the end of the text", r.i);
    }
    return v;
  }

  private static final class Reader {
    final String s;
    int i;

    Reader(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }

    char peek() {
      if (i >= s.length()) {
        throw new JsonException("unexpected end of text", i);
      }
      return s.charAt(i);
    }

    void expect(char c) {
      if (peek() != c) {
        throw new JsonException("expected '" + c + "', found '" + peek() + "'", i);
      }
      i++;
    }

    Object value() {
      char c = peek();
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", true);
        case 'f' -> literal("false", false);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw new JsonException("unexpected character '" + c + "'", i);
        }
      };
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) {
        throw new JsonException("expected " + word, i);
      }
      i += word.length();
      return v;
    }

    Map<String, Object> object() {
      expect('{');
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (peek() == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        int at = i;
        String k = string();
        ws();
        expect(':');
        ws();
        Object v = value();
        if (m.containsKey(k)) {
          throw new JsonException("repeated name \"" + k + '"', at);
        }
        m.put(k, v);
        ws();
        if (peek() == ',') {
          i++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    List<Object> array() {
      expect('[');
      List<Object> l = new ArrayList<>();
      ws();
      if (peek() == ']') {
        i++;
        return l;
      }
      while (true) {
        ws();
        l.add(value());
        ws();
        if (peek() == ',') {
          i++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw new JsonException("control character in a string", i - 1);
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new JsonException("truncated \\u escape", i);
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw new JsonException("bad \\u escape", i);
            }
            i += 4;
          }
          default -> throw new JsonException("bad escape \\" + e, i - 1);
        }
      }
    }

    BigInteger number() {
      int start = i;
      if (peek() == '-') {
        i++;
      }
      int digits = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      if (i == digits) {
        throw new JsonException("expected digits", i);
      }
      if (s.charAt(digits) == '0' && i - digits > 1) {
        throw new JsonException("leading zero", digits);
      }
      if (i < s.length() && ".eE".indexOf(s.charAt(i)) >= 0) {
        throw new JsonException("only integers are expected in the vectors", i);
      }
      return new BigInteger(s.substring(start, i));
    }
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, "");
    return sb.append('\n').toString();
  }

  private static void write(Object v, StringBuilder sb, String indent) {
    switch (v) {
      case null -> sb.append("null");
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{}");
          return;
        }
        sb.append("{\n");
        String inner = indent + "  ";
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(inner);
          writeString((String) e.getKey(), sb);
          sb.append(": ");
          write(e.getValue(), sb, inner);
          sb.append(++n < m.size() ? ",\n" : "\n");
        }
        sb.append(indent).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[]");
          return;
        }
        sb.append("[\n");
        String inner = indent + "  ";
        for (int k = 0; k < l.size(); k++) {
          sb.append(inner);
          write(l.get(k), sb, inner);
          sb.append(k + 1 < l.size() ? ",\n" : "\n");
        }
        sb.append(indent).append(']');
      }
      case String s -> writeString(s, sb);
      case BigInteger b -> sb.append(b);
      case Long l -> sb.append(l);
      case Integer n -> sb.append(n);
      case Boolean b -> sb.append(b);
      default -> throw new IllegalArgumentException("cannot write " + v.getClass());
    }
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
