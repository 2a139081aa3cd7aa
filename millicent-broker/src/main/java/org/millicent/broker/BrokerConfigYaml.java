package org.millicent.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.millicent.vendor.jetty.HttpTimeouts;

/**
 * Reads a {@link BrokerConfig} from YAML (docs/BROKER.md, "Configuration"): unknown keys, wrong
 * types and out-of-range values are collected with the field they are about, then the values read
 * are checked like any configuration, and every problem is reported at once in one {@link
 * BrokerConfigException} (a field already reported by the reader is not reported again). Stateless;
 * each {@link Reader} is used by one thread.
 */
final class BrokerConfigYaml {
  private BrokerConfigYaml() {}

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
      throw new BrokerConfigException(
          List.of(file + ": cannot read the configuration file (" + e.getMessage() + ")"));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base);
  }

  /**
   * Parses and validates YAML text.
   *
   * @param baseDir the folder relative paths are resolved against
   * @throws BrokerConfigException listing every problem
   */
  static BrokerConfig parse(String yaml, Path baseDir) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new BrokerConfigException(
          List.of("the configuration is not valid YAML: " + firstLine(e.getMessage())));
    }
    Reader r = new Reader(baseDir);
    BrokerConfig d = BrokerConfig.defaults();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return d;
    }
    if (!root.isObject()) {
      throw new BrokerConfigException(List.of("the configuration must be a YAML mapping"));
    }
    r.allow(
        root,
        "",
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
        "http_timeouts");
    String brokerId = r.string(root, "broker", d.brokerId());
    String host = r.string(root, "host", d.host());
    int port = (int) r.longValue(root, "port", d.port(), 0, 65535);
    Optional<URI> publicUrl = Optional.ofNullable(r.url(root, "public_url"));
    String currency = r.string(root, "currency", d.currency());
    Optional<String> database = Optional.ofNullable(r.string(root, "database", null));
    Optional<BrokerConfig.Tls> tls = Optional.empty();
    JsonNode tlsNode = root.get("tls");
    if (tlsNode != null && !tlsNode.isNull()) {
      if (r.object(tlsNode, "tls")) {
        r.allow(tlsNode, "tls.", "keystore", "password");
        Path ks = r.path(tlsNode, "keystore", "tls.keystore", true);
        String pw = r.string(tlsNode, "password", null);
        if (pw == null) {
          r.problems.add("tls.password: expected the key store password, found nothing");
        }
        if (ks != null && pw != null) {
          tls = Optional.of(new BrokerConfig.Tls(ks, pw));
        }
      }
    }
    Optional<String> adminToken = Optional.ofNullable(r.string(root, "admin_token", null));
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
      r.allow(accounts, "accounts.", "provider", "credit_limit_millicents");
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
    String periodName = r.string(root, "statement_period", null);
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
    if (t != null && !t.isNull() && r.object(t, "http_timeouts")) {
      r.allow(t, "http_timeouts.", "idle_seconds", "header_seconds");
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
    if (vs != null && !vs.isNull()) {
      if (!vs.isArray()) {
        r.problems.add("vendors: expected a list of vendor entries");
      } else {
        for (int i = 0; i < vs.size(); i++) {
          VendorConfig v = VendorConfig.read(vs.get(i), "vendors[" + i + "]", r);
          if (v != null) {
            vendors.add(v);
          }
        }
      }
    }
    List<String> all = new ArrayList<>(r.problems);
    Set<String> reported = new HashSet<>();
    for (String problem : r.problems) {
      reported.add(field(problem));
    }
    for (String problem :
        BrokerConfig.problems(
            brokerId,
            host,
            port,
            currency,
            database,
            tls,
            adminToken,
            lifetime,
            provider,
            creditLimit,
            period,
            settlementInterval,
            vendors)) {
      if (reported.add(field(problem))) {
        all.add(problem);
      }
    }
    if (!all.isEmpty()) {
      throw new BrokerConfigException(all);
    }
    return new BrokerConfig(
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

  /** Reads YAML nodes into typed values, collecting every problem instead of stopping. */
  static final class Reader {
    final List<String> problems = new ArrayList<>();
    final Path baseDir;

    Reader(Path baseDir) {
      this.baseDir = baseDir;
    }

    void allow(JsonNode node, String prefix, String... names) {
      Set<String> ok = Set.of(names);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        String k = it.next().getKey();
        if (!ok.contains(k)) {
          problems.add(
              prefix + k + ": unknown setting (expected one of " + String.join(", ", names) + ")");
        }
      }
    }

    boolean object(JsonNode n, String field) {
      if (!n.isObject()) {
        problems.add(field + ": expected a mapping, found " + n.getNodeType());
        return false;
      }
      return true;
    }

    String string(JsonNode n, String name, String dflt) {
      return string(n, name, dflt, name);
    }

    String string(JsonNode n, String name, String dflt, String field) {
      JsonNode v = n.get(name);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isValueNode() || v.isBoolean()) {
        problems.add(field + ": expected text, found " + v.getNodeType());
        return dflt;
      }
      return v.asText();
    }

    long longValue(JsonNode n, String name, long dflt, long min, long max) {
      return longValue(n, name, dflt, min, max, name);
    }

    long longValue(JsonNode n, String name, long dflt, long min, long max, String field) {
      JsonNode v = n.get(name);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        problems.add(field + ": expected a whole number, found " + v);
        return dflt;
      }
      long x = v.longValue();
      if (x < min || x > max) {
        problems.add(field + ": expected " + min + ".." + max + ", found " + x);
        return dflt;
      }
      return x;
    }

    URI url(JsonNode n, String name) {
      return url(n, name, name);
    }

    URI url(JsonNode n, String name, String field) {
      String s = string(n, name, null, field);
      return s == null ? null : parseUrl(s, field);
    }

    /** Element {@code index} of the YAML list {@code list}, an http(s) URL. */
    URI url(JsonNode list, int index, String field) {
      JsonNode v = list.get(index);
      if (v == null || !v.isTextual()) {
        problems.add(
            field + ": expected an http or https URL, found " + (v == null ? "nothing" : v));
        return null;
      }
      return parseUrl(v.asText(), field);
    }

    private URI parseUrl(String s, String field) {
      try {
        URI u = new URI(s);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          problems.add(field + ": expected an http or https URL, found \"" + s + '"');
          return null;
        }
        return u;
      } catch (java.net.URISyntaxException e) {
        problems.add(field + ": expected a URL, found \"" + s + "\" (" + e.getReason() + ")");
        return null;
      }
    }

    Path path(JsonNode n, String name, String field, boolean mustExist) {
      String s = string(n, name, null, field);
      if (s == null) {
        problems.add(field + ": expected a file path, found nothing");
        return null;
      }
      Path p = baseDir == null ? Path.of(s) : baseDir.resolve(s);
      if (mustExist && !Files.isReadable(p)) {
        problems.add(field + ": file " + p + " does not exist or cannot be read");
      }
      return p;
    }
  }
}
