package org.millicent.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.money.Amounts;
import org.millicent.scrip.ScripBody;
import org.millicent.servlet.MillicentFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
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

  /**
   * Reads every {@code @Priced} of the request-mapped handlers at start, so a malformed amount
   * stops the application instead of failing its first buyer, and logs what is for sale.
   *
   * @throws IllegalStateException naming the handler whose price is malformed
   */
  void check() {
    for (HandlerMapping m : mappings()) {
      if (m instanceof RequestMappingInfoHandlerMapping rm) {
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : rm.getHandlerMethods().entrySet()) {
          OptionalLong price = price(e.getValue());
          if (price.isPresent() && price.getAsLong() > 0) {
            LOG.info("for sale: {} at {}", e.getKey(), Amounts.format(price.getAsLong()));
          }
        }
      }
    }
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
      java.util.Set<String> names = new java.util.LinkedHashSet<>();
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
