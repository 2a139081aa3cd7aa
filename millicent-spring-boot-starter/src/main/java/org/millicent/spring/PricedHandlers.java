package org.millicent.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.money.Amounts;
import org.millicent.scrip.ScripBody;
import org.millicent.servlet.MillicentFilter;
import org.millicent.vendor.Checkout;
import org.millicent.vendor.config.Price;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Prices a request by the {@link Priced} annotation of the handler Spring MVC will dispatch it to:
 * the filter asks the application's handler mappings, in the dispatcher's order, which handler
 * takes the request (without leaving a trace on the request), and reads the annotation of its
 * method, else of its class. A request no handler method takes, or whose handler is not annotated,
 * is left to the configuration's path patterns. Thread-safe.
 */
final class PricedHandlers implements MillicentFilter.Pricing {
  private static final Logger LOG = LoggerFactory.getLogger(PricedHandlers.class);

  private final Supplier<List<HandlerMapping>> supplier;
  private volatile @Nullable List<HandlerMapping> mappings;
  private final Map<Method, OptionalLong> prices = new ConcurrentHashMap<>();

  /**
   * Prices by the handlers of the mappings {@code mappings} supplies (once the application context
   * has them all), tried in order as the dispatcher does.
   */
  PricedHandlers(Supplier<List<HandlerMapping>> mappings) {
    this.supplier = mappings;
  }

  /** The mappings, fetched once (after the context made them all). */
  private List<HandlerMapping> mappings() {
    List<HandlerMapping> m = mappings;
    if (m == null) {
      m = List.copyOf(supplier.get());
      mappings = m;
    }
    return m;
  }

  /** Every request-mapped handler method of the mappings, with its mapping, in their order. */
  private List<Map.Entry<RequestMappingInfo, HandlerMethod>> requestMapped() {
    List<Map.Entry<RequestMappingInfo, HandlerMethod>> out = new ArrayList<>();
    for (HandlerMapping m : mappings()) {
      if (m instanceof RequestMappingInfoHandlerMapping rm) {
        out.addAll(rm.getHandlerMethods().entrySet());
      }
    }
    return out;
  }

  /**
   * Reads every {@code @Priced} of the request-mapped handlers at start, so a malformed amount
   * stops the application instead of failing its first buyer, logs what is for sale, and returns
   * the priced handlers as manifest entries: one per method and path pattern, in path order (a
   * handler for any method as {@code *}; {@code @Priced("0")} as a free entry, since it wins over
   * the configuration's patterns).
   *
   * @throws IllegalStateException naming the handler whose price is malformed
   */
  List<Price> check() {
    List<Price> listed = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : requestMapped()) {
      OptionalLong price = price(e.getValue());
      if (price.isEmpty()) {
        continue;
      }
      if (price.getAsLong() > 0) {
        LOG.info("for sale: {} at {}", e.getKey(), Amounts.format(price.getAsLong()));
      }
      listed.addAll(entries(e.getKey(), price.getAsLong()));
    }
    listed.sort(Comparator.comparing(Price::path).thenComparing(Price::method));
    return listed;
  }

  /**
   * The methods a handler mapped without a method answers (and that a {@code *} price covers):
   * Spring MVC dispatches them all to it; {@code TRACE} the dispatcher refuses by default.
   */
  private static final List<String> ANY_METHOD =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /**
   * Checks the configuration trap of a path priced for some methods only, where a handler without
   * {@code @Priced} also answers other methods, which are then served free: for each such handler
   * and path pattern, logs a warning naming them, or, when {@code fail}, stops the start with all
   * of them. A handler with {@code @Priced} (also {@code @Priced("0")}, explicitly free) is priced
   * whatever the configuration says, so it is not checked; a method the configuration prices at 0
   * (a {@code free} path) is free on purpose; Spring's own handlers (Boot's error controller,
   * Actuator's endpoints) are not the application's to price.
   *
   * <p>An approximation: each Spring path pattern is turned into the manifest's pattern language
   * ({@link #glob}) and priced by {@code configured} as if it were a request path, so a configured
   * pattern counts when it matches that whole pattern ({@code /reports/**} and {@code /reports/*}
   * cover {@code /reports/{id}}); one that prices only some of the paths a handler takes ({@code
   * /reports/1}, or {@code /reports/*} for {@code /reports/{*rest}} as far as it is narrower) may
   * be missed or over-reported.
   *
   * @param configured the vendor's configured prices, as its filter prices a request
   * @param fail whether to stop the start instead of warning
   * @return the warnings (empty when nothing is served free against the configuration)
   * @throws IllegalStateException when {@code fail} and a warning was found, with all of them
   */
  List<String> checkUnpricedMethods(Checkout configured, boolean fail) {
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : requestMapped()) {
      if (price(e.getValue()).isEmpty() && !framework(e.getValue())) {
        warnings.addAll(unpriced(e.getKey(), e.getValue(), configured));
      }
    }
    warnings.sort(Comparator.naturalOrder());
    if (fail && !warnings.isEmpty()) {
      throw new IllegalStateException(
          "millicent.vendor.unpriced-methods=fail: " + String.join("; ", warnings));
    }
    for (String w : warnings) {
      LOG.warn("{} (millicent.vendor.unpriced-methods=fail makes this a start-up failure)", w);
    }
    return warnings;
  }

  /** The warnings for one unannotated mapping: one per path pattern that serves methods free. */
  private static List<String> unpriced(
      RequestMappingInfo info, HandlerMethod handler, Checkout configured) {
    Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
    Set<String> answered = new LinkedHashSet<>();
    if (declared.isEmpty()) {
      answered.addAll(ANY_METHOD);
    } else {
      declared.forEach(d -> answered.add(d.name()));
      if (answered.contains("GET")) {
        answered.add("HEAD"); // Spring MVC dispatches a HEAD to the GET handler
      }
    }
    List<String> out = new ArrayList<>();
    for (String pattern : info.getPatternValues()) {
      String path = glob(pattern);
      List<String> priced =
          ANY_METHOD.stream().filter(mm -> isPriced(configured.configuredPrice(mm, path))).toList();
      List<String> free =
          answered.stream().filter(mm -> configured.configuredPrice(mm, path).isEmpty()).toList();
      if (!priced.isEmpty() && !free.isEmpty()) {
        out.add(
            handler.getShortLogMessage()
                + " answers "
                + String.join(", ", free)
                + " "
                + pattern
                + " free, though the configuration prices "
                + String.join(", ", priced)
                + " there (its path patterns cover "
                + path
                + "): price those methods too (a price for each, or for method *), restrict the"
                + " handler to the priced methods, or mark it free with @Priced(\"0\")");
      }
    }
    return out;
  }

  /**
   * Whether {@code handler} is Spring's own (Boot's error controller, Actuator's endpoints), which
   * the application cannot annotate: not the application's content.
   */
  private static boolean framework(HandlerMethod handler) {
    return handler.getBeanType().getName().startsWith("org.springframework.");
  }

  private static boolean isPriced(OptionalLong price) {
    return price.isPresent() && price.getAsLong() > 0;
  }

  /** The manifest entries of one mapping: each of its methods (or {@code *}) at each pattern. */
  private static List<Price> entries(RequestMappingInfo info, long price) {
    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
    List<String> names =
        methods.isEmpty() ? List.of("*") : methods.stream().map(RequestMethod::name).toList();
    List<Price> out = new ArrayList<>();
    for (String pattern : info.getPatternValues()) {
      for (String method : names) {
        out.add(new Price(method, glob(pattern), price));
      }
    }
    return out;
  }

  /**
   * A Spring MVC path pattern in the manifest's pattern language (docs/HTTP-API.md, "Prices"): a
   * URI variable {@code {id}} (with or without a regular expression) becomes {@code *}, a capturing
   * rest {@code {*path}} becomes {@code **}, and {@code ?} becomes {@code *}; the rest is kept.
   */
  static String glob(String pattern) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '{') {
        int end = variableEnd(pattern, i);
        out.append(pattern.startsWith("{*", i) ? "**" : "*");
        i = end + 1;
      } else {
        out.append(c == '?' ? '*' : c);
        i++;
      }
    }
    return out.toString();
  }

  /** Where the URI variable opened at {@code open} closes (its regex may hold braces). */
  private static int variableEnd(String pattern, int open) {
    int depth = 0;
    for (int i = open; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return pattern.length() - 1;
  }

  @Override
  public OptionalLong priceOf(HttpServletRequest request) {
    Object handler = handler(request);
    return handler instanceof HandlerMethod hm ? price(hm) : OptionalLong.empty();
  }

  /** The annotated price of {@code hm}'s method, else its class's; empty when neither has one. */
  OptionalLong price(HandlerMethod hm) {
    return prices.computeIfAbsent(
        hm.getMethod(),
        method -> {
          Priced p = AnnotatedElementUtils.findMergedAnnotation(method, Priced.class);
          if (p == null) {
            p = AnnotatedElementUtils.findMergedAnnotation(hm.getBeanType(), Priced.class);
          }
          return p == null ? OptionalLong.empty() : OptionalLong.of(parse(p.value(), hm));
        });
  }

  private static long parse(String amount, HandlerMethod hm) {
    long price;
    try {
      price = Amounts.parse(amount);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "@Priced(\"" + amount + "\") on " + hm.getShortLogMessage() + ": " + e.getMessage(), e);
    }
    if (price > ScripBody.MAX_VALUE_MILLICENTS) {
      throw new IllegalStateException(
          "@Priced(\""
              + amount
              + "\") on "
              + hm.getShortLogMessage()
              + ": at most "
              + ScripBody.MAX_VALUE_MILLICENTS
              + " millicents");
    }
    return price;
  }

  /**
   * The handler the dispatcher would choose, or {@code null} for none. A mapping that refuses the
   * request (a method or media type it does not take) leaves it to the dispatcher, which answers
   * that refusal itself, unpriced.
   */
  private @Nullable Object handler(HttpServletRequest request) {
    Probe probe = new Probe(request);
    ServletRequestPathUtils.parseAndCache(probe);
    for (HandlerMapping m : mappings()) {
      HandlerExecutionChain chain;
      try {
        chain = m.getHandler(probe);
      } catch (Exception e) {
        return null;
      }
      if (chain != null) {
        return chain.getHandler();
      }
    }
    return null;
  }

  /**
   * The request as a handler mapping sees it, with attributes of its own: the lookup leaves none of
   * its attributes (parsed path, matched pattern, URI variables) on the request the dispatcher then
   * handles.
   */
  private static final class Probe extends HttpServletRequestWrapper {
    private final Map<String, @Nullable Object> set = new HashMap<>();

    Probe(HttpServletRequest request) {
      super(request);
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return set.containsKey(name) ? set.get(name) : super.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      set.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      set.put(name, null);
    }

    @Override
    public java.util.Enumeration<String> getAttributeNames() {
      Set<String> names = new java.util.LinkedHashSet<>();
      Collections.list(super.getAttributeNames()).forEach(names::add);
      set.forEach(
          (k, v) -> {
            if (v == null) {
              names.remove(k);
            } else {
              names.add(k);
            }
          });
      return Collections.enumeration(names);
    }
  }
}
