package org.millicent.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sells a Spring MVC handler method (or every handler of a controller class) at a price: a request
 * the application dispatches to it answers {@code 402} with the offer until it carries a Millicent
 * payment of at least this price, and the payment is spent only when the handler answered below 500
 * without throwing (docs/SPRING-BOOT.md). An annotation on the method wins over one on its class;
 * the handler sees what was paid as a {@link org.millicent.vendor.VerifiedPayment} parameter.
 * Handlers without it stay free unless a {@code millicent.vendor.prices} path pattern prices them.
 *
 * <pre>{@code
 * @GetMapping("/articles/{id}")
 * @Priced("100")                       // 100 millicents = 0.1 cent
 * String article(@PathVariable String id, VerifiedPayment paid) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Priced {
  /**
   * The price, as the vendor's configuration and CLI read amounts: {@code 100} or {@code 100m}
   * (millicents), {@code 0.1c} (cents) or {@code $0.001} (dollars); {@code 0} is free. Checked when
   * the application starts.
   */
  String value();
}
