package org.millicent.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.millicent.servlet.MillicentEndpoints;
import org.millicent.servlet.MillicentFilter;
import org.millicent.spring.boot3.Boot3HealthIndicator;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.config.Price;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.FormContentFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Makes a Spring MVC application a Millicent vendor (docs/SPRING-BOOT.md): opens the vendor runtime
 * ({@link MillicentGateway}) from {@link MillicentProperties} and closes it on shutdown, registers
 * the {@link MillicentFilter} (pricing {@link Priced} handlers, then the configured path patterns)
 * and the protocol endpoints ({@link MillicentEndpoints} at {@code /millicent/*} and {@code
 * /.well-known/millicent}), resolves {@link org.millicent.vendor.VerifiedPayment} handler
 * parameters, and, with Actuator, adds the {@code millicent} health component and publishes the
 * vendor's meters in the application's registry. Each bean backs off when the application defines
 * its own (by type, or by name for the registrations).
 *
 * <p>Works on Spring Boot 3.5 and 4.0 alike: it uses only what both have, and takes the health
 * component in the form of the Boot it finds ({@link Health} on Boot 4, {@link Boot3Health} on Boot
 * 3), each chosen by the class name of that Boot's health API.
 */
@AutoConfiguration(
    afterName = {
      // Boot 4's and Boot 3's: the FormContentFilter bean exists before FormContent looks for it.
      "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
      "org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({MillicentFilter.class, WebMvcConfigurer.class})
@ConditionalOnBooleanProperty(name = "millicent.vendor.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MillicentProperties.class)
public class MillicentAutoConfiguration {
  /**
   * The filter's place among the servlet filters: after Spring Security's ({@code -100}), so a
   * request it refuses is never charged, and after Boot's request-context and encoding filters.
   */
  public static final int FILTER_ORDER = -90;

  /** Made by Spring Boot, which finds this class in the starter's auto-configuration imports. */
  public MillicentAutoConfiguration() {}

  /** The vendor runtime, closed with the application context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MillicentGateway millicentGateway(MillicentProperties properties) {
    return MillicentGateway.open(properties.toVendorConfig(), properties.dataDir());
  }

  /** Prices requests by the {@link Priced} annotation of the handler they are dispatched to. */
  @Bean
  @ConditionalOnMissingBean(name = "millicentPricing")
  public MillicentFilter.Pricing millicentPricing(ObjectProvider<HandlerMapping> mappings) {
    // The dispatcher's handler mappings, in its order (it detects them all and sorts them so).
    return new PricedHandlers(() -> mappings.orderedStream().toList());
  }

  /**
   * Reads every {@link Priced} amount once the application's handlers exist (before it serves),
   * lists the priced handlers in the vendor's manifest, and warns of (or, with {@code
   * millicent.vendor.unpriced-methods=fail}, refuses) handlers that serve free the methods of a
   * path the configuration prices for other methods only.
   */
  @Bean
  public static SmartInitializingSingleton millicentPricingCheck(
      ObjectProvider<MillicentFilter.Pricing> pricing,
      ObjectProvider<MillicentGateway> gateway,
      ObjectProvider<MillicentProperties> properties) {
    return () -> {
      if (pricing.getIfAvailable() instanceof PricedHandlers p) {
        List<Price> listed = p.check();
        MillicentGateway g = gateway.getIfAvailable();
        if (g != null) {
          g.listApplicationPrices(listed);
          MillicentProperties props = properties.getIfAvailable();
          p.checkUnpricedMethods(
              g.checkout(),
              props != null && props.unpricedMethods() == MillicentProperties.UnpricedMethods.FAIL);
        }
      }
    };
  }

  /** The filter on every request (the {@code REQUEST} dispatch), at {@link #FILTER_ORDER}. */
  @Bean
  @ConditionalOnMissingBean(name = "millicentFilter")
  public FilterRegistrationBean<MillicentFilter> millicentFilter(
      MillicentGateway gateway, MillicentFilter.Pricing pricing) {
    FilterRegistrationBean<MillicentFilter> r =
        new FilterRegistrationBean<>(new MillicentFilter(gateway, pricing));
    r.setName("millicent");
    r.addUrlPatterns("/*");
    r.setDispatcherTypes(DispatcherType.REQUEST);
    r.setOrder(FILTER_ORDER);
    return r;
  }

  /** The protocol endpoints a wallet and a broker need. */
  @Bean
  @ConditionalOnMissingBean(name = "millicentEndpoints")
  public ServletRegistrationBean<MillicentEndpoints> millicentEndpoints(MillicentGateway gateway) {
    ServletRegistrationBean<MillicentEndpoints> r =
        new ServletRegistrationBean<>(
            new MillicentEndpoints(gateway), "/millicent/*", "/.well-known/millicent");
    r.setName("millicentEndpoints");
    r.setLoadOnStartup(1);
    return r;
  }

  /** {@link org.millicent.vendor.VerifiedPayment} as a handler method parameter. */
  @Bean
  public WebMvcConfigurer millicentPaymentArgument() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new VerifiedPaymentArgumentResolver());
      }
    };
  }

  /**
   * The vendor's meters ({@code millicent.vendor.*}) in the application's registry: Boot binds
   * every {@link MeterBinder} bean to it.
   */
  @Bean
  @ConditionalOnMissingBean(name = "millicentMetrics")
  public MeterBinder millicentMetrics(MillicentGateway gateway) {
    return gateway::bindMetrics;
  }

  /**
   * The {@code millicent} component of Actuator's health, on Boot 4 ({@code spring-boot-health}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "millicentHealthIndicator")
    MillicentHealthIndicator millicentHealthIndicator(MillicentGateway gateway) {
      return new MillicentHealthIndicator(gateway);
    }
  }

  /**
   * The {@code millicent} component of Actuator's health, on Boot 3 (whose {@code
   * spring-boot-actuator} has the health API that Boot 4 moved out).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "millicentHealthIndicator")
    Boot3HealthIndicator millicentHealthIndicator(MillicentGateway gateway) {
      return new Boot3HealthIndicator(gateway);
    }
  }

  /**
   * Spring MVC's {@link FormContentFilter} moved after the Millicent filter. Boot runs it first
   * (order {@code -9900}), where it reads a {@code PUT}, {@code PATCH} or {@code DELETE} form body
   * into request parameters and leaves the body empty: the Millicent filter would then check a
   * payment against no body. After it, the filter reads the body the payment covers and hands the
   * application a request that reads it again, which the form filter then parses as before. Only
   * the order changes: the same filter instance, registered once.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(FormContentFilter.class)
  static class FormContent {
    @Bean
    @ConditionalOnMissingBean(name = "millicentFormContentFilter")
    FilterRegistrationBean<FormContentFilter> millicentFormContentFilter(FormContentFilter form) {
      FilterRegistrationBean<FormContentFilter> r = new FilterRegistrationBean<>(form);
      r.setName("formContentFilter");
      r.setOrder(FILTER_ORDER + 1);
      return r;
    }
  }
}
