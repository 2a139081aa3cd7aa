package org.millicent.broker;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.http.HttpTimeouts;
import org.millicent.http.config.YamlValues;

/**
 * Reads a {@link BrokerConfig} from YAML: unknown keys, a key given twice, wrong types and
 * out-of-range values are collected with the field they are about, then the values read are checked
 * like any configuration, and every problem is reported at once in one {@link
 * BrokerConfigException} (a field already reported by the reader is not reported again), naming the
 * file. Every key, its type, default and range: docs/CONFIG.md ("Broker"); a JSON Schema of the
 * file: docs/schema/broker-config.schema.json. The keys accepted are {@link #KEYS}. Stateless; each
 * {@link ConfigReader} is used by one thread.
 */
final class BrokerConfigYaml {
  /**
   * Every key the loader accepts, by the path of the mapping that holds it ({@code ""}: the top
   * level, {@code vendors[]}: each entry of the list {@code vendors}). A key not listed here is
   * reported as unknown, so this is the complete vocabulary; {@link BrokerConfig#yamlKeys()}
   * publishes it.
   */
  static final Map<String, List<String>> KEYS = keys();

  /** Rejects a key given twice in one mapping instead of keeping the last silently. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  /** Jackson's message for a key given twice. */
  private static final java.util.regex.Pattern TWICE =
      java.util.regex.Pattern.compile("Duplicate field '(.*)'");

  private BrokerConfigYaml() {}

  private static Map<String, List<String>> keys() {
    Map<String, List<String>> k = new LinkedHashMap<>();
    k.put(
        "",
        List.of(
            "broker",
            "host",
            "port",
            "public_url",
            "currency",
            "database",
            "tls",
            "admin_token",
            "scrip_lifetime_seconds",
            "accounts",
            "statement_period",
            "settlement_interval_seconds",
            "vendors",
            "http_timeouts"));
    k.put("tls", List.of("keystore", "password"));
    k.put("accounts", List.of("provider", "credit_limit_millicents"));
    k.put("http_timeouts", List.of("idle_seconds", "header_seconds"));
    k.put(
        "vendors[]",
        List.of(
            "vendor",
            "url",
            "supply",
            "discount_bps",
            "token",
            "settlement_token",
            "licence",
            "customer_secret",
            "lot",
            "public_urls"));
    k.put("vendors[].licence", List.of("admin_token", "key_ids", "file"));
    k.put("vendors[].lot", List.of("count", "value_millicents"));
    return Collections.unmodifiableMap(k);
  }

  /**
   * Loads and validates a YAML file. Relative paths in it are resolved against its folder.
   *
   * @throws BrokerConfigException listing every problem, including a file that cannot be read
   */
  static BrokerConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BrokerConfigException(file, List.of("cannot read the file: " + Causes.describe(e)));
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      return parse(text, base);
    } catch (BrokerConfigException e) {
      throw new BrokerConfigException(file, e.problems());
    }
  }

  /**
   * Parses and validates YAML text.
   *
   * @param baseDir the folder relative paths are resolved against; null: the working folder
   * @throws BrokerConfigException listing every problem
   */
  static BrokerConfig parse(String yaml, @Nullable Path baseDir) {
    JsonNode root;
    try {
      root = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null || at.getLineNr() < 1
              ? ""
              : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      String first = firstLine(e.getOriginalMessage());
      java.util.regex.Matcher twice = TWICE.matcher(first);
      throw new BrokerConfigException(
          List.of(
              twice.matches()
                  ? twice.group(1) + ": given twice in one mapping" + where + "; give it once"
                  : "not valid YAML" + where + ": " + first));
    }
    ConfigReader r = new ConfigReader(baseDir);
    BrokerConfig d = BrokerConfig.defaults();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return d;
    }
    if (!root.isObject()) {
      throw new BrokerConfigException(
          List.of("expected a YAML mapping of settings, found " + YamlValues.describe(root)));
    }
    r.allow(root, "", "");
    String brokerId = r.string(root, "broker", d.brokerId());
    String host = r.string(root, "host", d.host());
    int port = (int) r.longValue(root, "port", d.port(), 0, 65535);
    Optional<URI> publicUrl = Optional.ofNullable(r.url(root, "public_url"));
    if (publicUrl.isPresent()) {
      try {
        org.millicent.protocol.Authority.of(publicUrl.get());
      } catch (IllegalArgumentException e) {
        r.problems.add("public_url: " + e.getMessage());
        publicUrl = Optional.empty();
      }
    }
    String currency = r.string(root, "currency", d.currency());
    Optional<String> database = Optional.ofNullable(r.optionalString(root, "database"));
    Optional<BrokerConfig.Tls> tls = Optional.empty();
    JsonNode tlsNode = root.get("tls");
    if (tlsNode != null) {
      if (r.object(tlsNode, "tls")) {
        r.allow(tlsNode, "tls", "tls.");
        Path ks = r.path(tlsNode, "keystore", "tls.keystore", true);
        String pw = r.optionalString(tlsNode, "password", "tls.password");
        if (pw == null && !tlsNode.has("password")) {
          r.problems.add("tls.password: expected the key store password, found nothing");
        }
        if (ks != null && pw != null) {
          tls = Optional.of(new BrokerConfig.Tls(ks, pw));
        }
      }
    }
    Optional<String> adminToken = Optional.ofNullable(r.optionalString(root, "admin_token"));
    Duration lifetime =
        Duration.ofSeconds(
            r.longValue(
                root,
                "scrip_lifetime_seconds",
                d.scripLifetime().toSeconds(),
                60,
                Duration.ofDays(3660).toSeconds()));
    String provider = d.provider();
    long creditLimit = d.creditLimitMillicents();
    JsonNode accounts = root.get("accounts");
    if (accounts != null && r.object(accounts, "accounts")) {
      r.allow(accounts, "accounts", "accounts.");
      provider = r.string(accounts, "provider", provider, "accounts.provider");
      creditLimit =
          r.longValue(
              accounts,
              "credit_limit_millicents",
              creditLimit,
              0,
              BrokerConfig.MAX_AMOUNT_MILLICENTS,
              "accounts.credit_limit_millicents");
    }
    StatementPeriod period = d.statementPeriod();
    String periodName = r.optionalString(root, "statement_period");
    if (periodName != null) {
      period = StatementPeriod.fromWireName(periodName);
      if (period == null) {
        r.problems.add(
            "statement_period: expected \"monthly\" or \"daily\", found \"" + periodName + '"');
        period = d.statementPeriod();
      }
    }
    Duration settlementInterval =
        Duration.ofSeconds(
            r.longValue(
                root, "settlement_interval_seconds", 0, 0, Duration.ofDays(366).toSeconds()));
    HttpTimeouts timeouts = d.httpTimeouts();
    JsonNode t = root.get("http_timeouts");
    if (t != null && r.object(t, "http_timeouts")) {
      r.allow(t, "http_timeouts", "http_timeouts.");
      long day = Duration.ofDays(1).toSeconds();
      timeouts =
          new HttpTimeouts(
              Duration.ofSeconds(
                  r.longValue(
                      t,
                      "idle_seconds",
                      timeouts.idle().toSeconds(),
                      1,
                      day,
                      "http_timeouts.idle_seconds")),
              Duration.ofSeconds(
                  r.longValue(
                      t,
                      "header_seconds",
                      timeouts.header().toSeconds(),
                      1,
                      day,
                      "http_timeouts.header_seconds")));
    }
    List<VendorConfig> vendors = new ArrayList<>();
    JsonNode vs = root.get("vendors");
    if (vs != null) {
      if (!vs.isArray()) {
        r.problems.add(
            "vendors: expected a list of vendor entries, found " + YamlValues.describe(vs));
      } else {
        for (int i = 0; i < vs.size(); i++) {
          VendorConfig v = VendorConfigYaml.read(vs.get(i), "vendors[" + i + "]", r);
          if (v != null) {
            vendors.add(v);
          }
        }
      }
    }
    // The record checks itself as a whole (BrokerConfigCheck); its problems are added to the
    // reader's, except for a field the reader already reported.
    List<String> all = new ArrayList<>(r.problems);
    @Nullable BrokerConfig config = null;
    try {
      config =
          new BrokerConfig(
              brokerId,
              host,
              port,
              publicUrl,
              currency,
              database,
              tls,
              adminToken,
              lifetime,
              provider,
              creditLimit,
              period,
              settlementInterval,
              vendors,
              timeouts);
    } catch (BrokerConfigException e) {
      Set<String> reported = new HashSet<>();
      for (String problem : r.problems) {
        reported.add(field(problem));
      }
      for (String problem : e.problems()) {
        if (reported.add(field(problem))) {
          all.add(problem);
        }
      }
    }
    if (config == null || !all.isEmpty()) {
      throw new BrokerConfigException(all);
    }
    return config;
  }

  /** The field a problem message is about: the text before its first ": ". */
  private static String field(String problem) {
    int i = problem.indexOf(": ");
    return i < 0 ? problem : problem.substring(0, i);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
