package org.millicent.vendor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.millicent.purchase.Pricer;
import org.millicent.scrip.ScripBody;
import org.millicent.vendor.config.Price;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.VendorConfig;

/**
 * The vendor's prices, compiled: free paths first, then the priced entries in order; the first
 * match wins. In a pattern {@code *} matches any characters but {@code /}, {@code **} any at all.
 * Each priced entry carries its {@link Pricer}, which adds the property surcharges to the base
 * price. Immutable and thread-safe.
 */
final class Catalogue {
  /**
   * What the catalogue says about one request.
   *
   * @param pattern the matching path pattern, as configured
   * @param method the matching method ({@code *} for any)
   * @param basePriceMillicents the price before surcharges (0: free)
   * @param pricer the price for the paying scrip
   */
  record Entry(String pattern, String method, long basePriceMillicents, Pricer pricer) {
    boolean free() {
      return basePriceMillicents == 0;
    }

    /** The methods that can pay for this entry, as an {@code Allow} header value. */
    String paidMethods() {
      return "*".equals(method) ? "GET, POST, PUT, PATCH, DELETE" : method;
    }
  }

  private record Rule(String method, String pattern, @Nullable Pattern regex, Entry entry) {
    boolean matches(String m, String path) {
      return ("*".equals(method) || method.equals(m))
          && (regex == null ? pattern.equals(path) : regex.matcher(path).matches());
    }
  }

  /**
   * The methods a rule for any method ({@code *}) covers, and that the gateway's catch-all routes:
   * the others (OPTIONS, TRACE, CONNECT ...) are answered {@code 405} or {@code 404}.
   */
  static final List<String> ANY_METHOD = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  private final List<Rule> rules = new ArrayList<>();
  private final List<PriceRule> surcharges;

  Catalogue(VendorConfig config) {
    for (String free : config.freePaths()) {
      rules.add(rule("*", free, new Entry(free, "*", 0, Pricer.fixed(0))));
    }
    surcharges = config.priceRules();
    for (Price p : config.prices()) {
      rules.add(
          rule(
              p.method(),
              p.path(),
              new Entry(
                  p.path(),
                  p.method(),
                  p.priceMillicents(),
                  pricer(p.priceMillicents(), surcharges))));
    }
  }

  private static Rule rule(String method, String pattern, Entry entry) {
    return new Rule(method, pattern, pattern.indexOf('*') < 0 ? null : compile(pattern), entry);
  }

  private static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      if (glob.startsWith("**", i)) {
        re.append(".*");
        i += 2;
      } else if (glob.charAt(i) == '*') {
        re.append("[^/]*");
        i++;
      } else {
        int next = glob.indexOf('*', i);
        int end = next < 0 ? glob.length() : next;
        re.append(Pattern.quote(glob.substring(i, end)));
        i = end;
      }
    }
    return Pattern.compile(re.toString());
  }

  private static Pricer pricer(long base, List<PriceRule> surcharges) {
    if (base == 0 || surcharges.isEmpty()) {
      return Pricer.fixed(base);
    }
    return (ScripBody scrip) -> {
      long price = base;
      for (PriceRule r : surcharges) {
        price += r.surcharge(base, scrip.properties().get(r.property()));
      }
      return price;
    };
  }

  /**
   * The methods the catalogue answers at {@code path} (canonical): those of every rule whose
   * pattern matches it, with HEAD wherever GET is. Empty when nothing covers the path.
   */
  Set<String> methods(String path) {
    Set<String> out = new LinkedHashSet<>();
    for (Rule r : rules) {
      if (r.matches(r.method(), path)) {
        if ("*".equals(r.method())) {
          out.addAll(ANY_METHOD);
        } else {
          out.add(r.method());
        }
      }
    }
    if (out.contains("GET")) {
      out.add("HEAD");
    }
    return out;
  }

  /**
   * The entry for a request the application priced itself ({@code @Priced} in a Spring application)
   * at {@code priceMillicents}, with the configuration's surcharges, as a priced path would be. A
   * HEAD is priced as the GET it stands for.
   */
  Entry priced(String method, String path, long priceMillicents) {
    String m = "HEAD".equals(method) ? "GET" : method;
    return new Entry(path, m, priceMillicents, pricer(priceMillicents, surcharges));
  }

  /**
   * The entry for a request, or {@code null} when nothing in the catalogue covers it. A HEAD is
   * priced as the GET it stands for (and is never charged: docs/HTTP-API.md, "HEAD").
   */
  @Nullable Entry match(String method, String rawPath) {
    String m = "HEAD".equals(method) ? "GET" : method;
    for (Rule r : rules) {
      if (r.matches(m, rawPath)) {
        return r.entry();
      }
    }
    return null;
  }
}
