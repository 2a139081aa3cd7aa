package org.millicent.vendor.config;

import static org.millicent.http.config.YamlValues.describe;
import static org.millicent.http.config.YamlValues.duration;
import static org.millicent.http.config.YamlValues.text;
import static org.millicent.http.config.YamlValues.unknownKeys;
import static org.millicent.http.config.YamlValues.wholeNumber;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millicent.failure.Causes;
import org.millicent.http.HttpTimeouts;
import org.millicent.protocol.Variant;

/**
 * Reads the vendor's YAML file into a {@link VendorConfigBuilder}, collecting every structural
 * problem (unknown keys, wrong types, a key given twice) by its key path, then adds the builder's
 * own validation, so that one run names every error, each with the file. Every key, its type,
 * default and range: docs/CONFIG.md ("Vendor"); a JSON Schema of the file:
 * docs/schema/vendor-config.schema.json. The keys accepted are {@link #KEYS}. The catalogue ({@link
 * CatalogueYaml}) and the brokers ({@link BrokersYaml}) have readers of their own. Stateless.
 */
final class VendorConfigYaml {
  /**
   * Every key the loader accepts, by the path of the mapping that holds it ({@code ""}: the top
   * level, {@code prices[]}: each entry of the list {@code prices}). A key not listed here is
   * reported as unknown, so this is the complete vocabulary; {@link VendorConfig#yamlKeys()}
   * publishes it.
   */
  static final Map<String, List<String>> KEYS = keys();

  /** The keys known in {@code mapping}, sorted as errors name them. */
  static Set<String> known(String mapping) {
    List<String> known = KEYS.get(mapping);
    if (known == null) {
      throw new IllegalArgumentException("no known keys for the mapping \"" + mapping + '"');
    }
    return new TreeSet<>(known);
  }

  private static Map<String, List<String>> keys() {
    Map<String, List<String>> k = new LinkedHashMap<>();
    k.put(
        "",
        List.of(
            "vendor",
            "currency",
            "host",
            "port",
            "public_urls",
            "scrip_lifetime",
            "retry_wait",
            "variants",
            "prices",
            "free",
            "price_rules",
            "content",
            "brokers",
            "database",
            "tls",
            "admin_token",
            "http_timeouts",
            "max_answer_bytes"));
    k.put("prices[]", List.of("method", "path", "price_millicents"));
    k.put("price_rules[]", List.of("property", "rates_bps", "default_bps"));
    k.put(
        "content",
        List.of("static", "origin", "origin_timeout", "paid_headers_key_file", "sample"));
    k.put("brokers[]", List.of("id", "url", "token", "customer_id", "discount_bps"));
    k.put("tls", List.of("keystore", "password"));
    k.put("http_timeouts", List.of("idle", "header"));
    return java.util.Collections.unmodifiableMap(k);
  }

  /** Jackson's message for a key given twice. */
  private static final Pattern TWICE = Pattern.compile("Duplicate field '(.*)'");

  /** Rejects a key given twice in one mapping instead of keeping the last silently. */
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private VendorConfigYaml() {}

  static VendorConfig load(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ConfigException(file, List.of(yamlProblem(e)));
    } catch (IOException e) {
      throw new ConfigException(file, List.of("cannot read the file: " + Causes.describe(e)));
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new ConfigException(
          file,
          List.of(
              "expected a YAML mapping of settings (at least vendor and prices or free), found "
                  + describe(root)));
    }
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Path base = parent == null ? absolute : parent; // no parent: the root, which reads as no file
    List<String> errors = new ArrayList<>();
    VendorConfigBuilder b = read((ObjectNode) root, base, errors);
    Set<String> reported = new HashSet<>();
    for (String e : errors) {
      reported.add(field(e));
    }
    for (String e : b.validate()) {
      if (reported.add(field(e))) { // a setting the reader already named is not named again
        errors.add(e);
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(file, errors);
    }
    return b.build();
  }

  /** The setting a message is about: the text before its first ": ". */
  private static String field(String message) {
    int i = message.indexOf(": ");
    return i < 0 ? message : message.substring(0, i);
  }

  /**
   * A YAML syntax error or a key given twice, as one line with its position: the parser's own
   * message runs on with an excerpt of the source.
   */
  private static String yamlProblem(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    int nl = msg == null ? -1 : msg.indexOf('\n');
    String first = msg == null ? "unknown error" : nl < 0 ? msg : msg.substring(0, nl);
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    Matcher twice = TWICE.matcher(first);
    if (twice.matches()) {
      return twice.group(1) + ": given twice in one mapping" + where + "; give it once";
    }
    return "not valid YAML" + where + ": " + first;
  }

  private static VendorConfigBuilder read(ObjectNode root, Path base, List<String> errors) {
    unknownKeys(root, VendorConfigYaml.known(""), "", errors);
    VendorConfigBuilder b =
        new VendorConfigBuilder(
            root.has("vendor") ? text(root.get("vendor"), "vendor", errors) : null);
    // A value that is not of its type was reported and is left unset (its check would be a repeat)
    b.clearPrices();
    if (root.has("currency")) {
      Optional.ofNullable(text(root.get("currency"), "currency", errors)).ifPresent(b::currency);
    }
    if (root.has("host")) {
      Optional.ofNullable(text(root.get("host"), "host", errors)).ifPresent(b::host);
    }
    if (root.has("port")) {
      long port = wholeNumber(root.get("port"), "port", errors, VendorConfig.DEFAULT_PORT);
      if (port < 0 || port > 65535) { // checked here: a cast to int could wrap it into a port
        errors.add("port: expected 0..65535, found " + port);
      } else {
        b.port((int) port);
      }
    }
    if (root.has("retry_wait")) {
      Optional.ofNullable(duration(root.get("retry_wait"), "retry_wait", errors))
          .ifPresent(b::retryWait);
    }
    if (root.has("public_urls")) {
      JsonNode urls = root.get("public_urls");
      if (!urls.isArray()) {
        errors.add(
            "public_urls: expected a list of URLs such as [\"https://venetia.example\"], found "
                + describe(urls));
      } else {
        for (int i = 0; i < urls.size(); i++) {
          if (!urls.get(i).isTextual()) {
            errors.add("public_urls[" + i + "]: expected a URL, found " + describe(urls.get(i)));
          } else {
            b.publicUrl(urls.get(i).asText());
          }
        }
      }
    }
    if (root.has("scrip_lifetime")) {
      Optional.ofNullable(duration(root.get("scrip_lifetime"), "scrip_lifetime", errors))
          .ifPresent(b::scripLifetime);
    }
    if (root.has("variants")) {
      b.variants(variants(root.get("variants"), errors));
    }
    CatalogueYaml.prices(root, b, errors);
    CatalogueYaml.rules(root, b, errors);
    content(root, base, b, errors);
    BrokersYaml.brokers(root, b, errors);
    if (root.has("database")) {
      b.database(text(root.get("database"), "database", errors));
    }
    if (root.has("tls")) {
      JsonNode t = root.get("tls");
      if (!t.isObject()) {
        errors.add("tls: expected a mapping with keystore and password, found " + describe(t));
      } else {
        unknownKeys(t, VendorConfigYaml.known("tls"), "tls.", errors);
        String ks = text(t.get("keystore"), "tls.keystore", errors);
        b.tls(
            new TlsConfig(
                ks == null ? null : base.resolve(ks),
                text(t.get("password"), "tls.password", errors)));
      }
    }
    if (root.has("max_answer_bytes")) {
      b.maxAnswerBytes(
          wholeNumber(root.get("max_answer_bytes"), "max_answer_bytes", errors, b.maxAnswerBytes));
    }
    if (root.has("admin_token")) {
      b.adminToken(text(root.get("admin_token"), "admin_token", errors));
    }
    if (root.has("http_timeouts")) {
      JsonNode t = root.get("http_timeouts");
      if (!t.isObject()) {
        errors.add("http_timeouts: expected a mapping with idle and header, found " + describe(t));
      } else {
        unknownKeys(t, VendorConfigYaml.known("http_timeouts"), "http_timeouts.", errors);
        Duration idle =
            t.has("idle")
                ? duration(t.get("idle"), "http_timeouts.idle", errors)
                : HttpTimeouts.DEFAULT.idle();
        Duration header =
            t.has("header")
                ? duration(t.get("header"), "http_timeouts.header", errors)
                : HttpTimeouts.DEFAULT.header();
        try {
          if (idle != null && header != null) {
            b.httpTimeouts(new HttpTimeouts(idle, header));
          }
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
      }
    }
    return b;
  }

  private static void content(
      ObjectNode root, Path base, VendorConfigBuilder b, List<String> errors) {
    JsonNode c = root.get("content");
    if (c == null) {
      return;
    }
    if (!c.isObject()) {
      errors.add("content: expected a mapping with static, origin or sample, found " + describe(c));
      return;
    }
    unknownKeys(c, VendorConfigYaml.known("content"), "content.", errors);
    int kinds = (c.has("static") ? 1 : 0) + (c.has("origin") ? 1 : 0) + (c.has("sample") ? 1 : 0);
    if (kinds != 1) {
      errors.add(
          "content: expected exactly one of static, origin or sample, found "
              + (kinds == 0 ? "none" : kinds + " of them"));
      return;
    }
    for (String only : List.of("origin_timeout", "paid_headers_key_file")) {
      if (c.has(only) && !c.has("origin")) {
        errors.add(
            "content." + only + ": applies only to content.origin; remove it or serve an origin");
      }
    }
    if (c.has("static")) {
      String dir = text(c.get("static"), "content.static", errors);
      if (dir != null && dir.isBlank()) { // "" would serve the configuration's own folder
        errors.add("content.static: expected a folder path, found empty text");
        dir = null;
      }
      b.content(new Content.StaticFolder(dir == null ? null : base.resolve(dir)));
    } else if (c.has("origin")) {
      String url = text(c.get("origin"), "content.origin", errors);
      URI uri = null;
      if (url != null) {
        try {
          uri = new URI(url);
        } catch (URISyntaxException e) {
          errors.add("content.origin: expected a URL, found " + url);
        }
      }
      Duration timeout =
          c.has("origin_timeout")
              ? duration(c.get("origin_timeout"), "content.origin_timeout", errors)
              : VendorConfig.DEFAULT_ORIGIN_TIMEOUT;
      String key =
          c.has("paid_headers_key_file")
              ? text(c.get("paid_headers_key_file"), "content.paid_headers_key_file", errors)
              : null;
      if (uri != null) {
        b.content(new Content.Origin(uri, timeout, key == null ? null : base.resolve(key)));
      }
    } else if (c.get("sample").isBoolean() && c.get("sample").booleanValue()) {
      b.content(new Content.Sample());
    } else {
      errors.add(
          "content.sample: expected true (the built-in sample pages), found "
              + describe(c.get("sample")));
    }
  }

  private static Set<Variant> variants(JsonNode n, List<String> errors) {
    Set<Variant> out = EnumSet.noneOf(Variant.class);
    if (!n.isArray()) {
      errors.add("variants: expected a list of clear, signed, private, found " + describe(n));
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      Variant v = n.get(i).isTextual() ? Variant.fromWireName(n.get(i).asText()) : null;
      if (v == null) {
        errors.add(
            "variants[" + i + "]: expected clear, signed or private, found " + describe(n.get(i)));
      } else {
        out.add(v);
      }
    }
    return out;
  }
}
