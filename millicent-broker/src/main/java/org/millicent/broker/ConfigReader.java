package org.millicent.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.millicent.http.config.YamlValues;

/**
 * Reads the YAML nodes of a broker configuration into typed values, collecting every problem
 * instead of stopping. Not thread-safe: one per file read.
 */
final class ConfigReader {
  final List<String> problems = new ArrayList<>();

  /** The folder relative paths are resolved against; null: the working folder. */
  final @Nullable Path baseDir;

  ConfigReader(@Nullable Path baseDir) {
    this.baseDir = baseDir;
  }

  /**
   * Reports each key of {@code node} that {@link BrokerConfigYaml#KEYS} does not list under {@code
   * mapping}.
   */
  void allow(JsonNode node, String mapping, String prefix) {
    List<String> ok =
        Objects.requireNonNull(
            BrokerConfigYaml.KEYS.get(mapping), () -> "no keys listed for " + mapping);
    YamlValues.unknownKeys(node, ok, prefix, problems);
  }

  boolean object(JsonNode n, String field) {
    if (!n.isObject()) {
      problems.add(field + ": expected a mapping, found " + YamlValues.describe(n));
      return false;
    }
    return true;
  }

  /** The text {@code name} of {@code n}, or {@code dflt} when it is missing or not text. */
  String string(JsonNode n, String name, String dflt) {
    return string(n, name, dflt, name);
  }

  String string(JsonNode n, String name, String dflt, String field) {
    String s = optionalString(n, name, field);
    return s == null ? dflt : s;
  }

  /** The text {@code name} of {@code n}, or null when it is missing or not text (a problem). */
  @Nullable String optionalString(JsonNode n, String name) {
    return optionalString(n, name, name);
  }

  @Nullable String optionalString(JsonNode n, String name, String field) {
    return YamlValues.optionalText(n.get(name), field, problems);
  }

  long longValue(JsonNode n, String name, long dflt, long min, long max) {
    return longValue(n, name, dflt, min, max, name);
  }

  long longValue(JsonNode n, String name, long dflt, long min, long max, String field) {
    JsonNode v = n.get(name);
    return v == null ? dflt : YamlValues.wholeNumber(v, field, min, max, problems, dflt);
  }

  @Nullable URI url(JsonNode n, String name) {
    return url(n, name, name);
  }

  @Nullable URI url(JsonNode n, String name, String field) {
    String s = optionalString(n, name, field);
    return s == null ? null : parseUrl(s, field);
  }

  /** Element {@code index} of the YAML list {@code list}, an http(s) URL. */
  @Nullable URI url(JsonNode list, int index, String field) {
    JsonNode v = list.get(index);
    if (v == null || !v.isTextual()) {
      problems.add(field + ": expected an http or https URL, found " + YamlValues.describe(v));
      return null;
    }
    return parseUrl(v.asText(), field);
  }

  private @Nullable URI parseUrl(String s, String field) {
    try {
      URI u = new URI(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        problems.add(field + ": expected an http or https URL, found \"" + s + '"');
        return null;
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      problems.add(field + ": expected a URL, found \"" + s + "\" (" + e.getReason() + ")");
      return null;
    }
  }

  @Nullable Path path(JsonNode n, String name, String field, boolean mustExist) {
    String s = optionalString(n, name, field);
    if (s == null) {
      if (n.get(name) == null) {
        problems.add(field + ": expected a file path, found nothing");
      }
      return null;
    }
    Path p = baseDir == null ? Path.of(s) : baseDir.resolve(s);
    if (mustExist && !Files.isReadable(p)) {
      problems.add(field + ": file " + p + " does not exist or cannot be read");
    }
    return p;
  }
}
