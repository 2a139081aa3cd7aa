package org.millicent.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.config.VendorConfig;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;

/** The auto-configuration's conditions: what it sets up, when it backs off, what it refuses. */
class MillicentAutoConfigurationTest {
  @TempDir Path dir;

  private WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MillicentAutoConfiguration.class))
        .withPropertyValues(
            "millicent.vendor.name=venetia",
            "millicent.vendor.data-dir=" + dir.resolve("data"),
            "millicent.vendor.prices[0].path=/articles/*",
            "millicent.vendor.prices[0].price=0.1c");
  }

  @Test
  void opensTheRuntimeFromTheProperties_andRegistersTheFilter() {
    runner()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(MillicentGateway.class);
              VendorConfig config = ctx.getBean(MillicentGateway.class).config();
              assertThat(config.vendor()).isEqualTo("venetia");
              assertThat(config.prices().getFirst().priceMillicents()).isEqualTo(100);
              assertThat(ctx.getBean("millicentFilter", FilterRegistrationBean.class).getOrder())
                  .isEqualTo(MillicentAutoConfiguration.FILTER_ORDER);
              assertThat(ctx).hasBean("millicentEndpoints");
              // Boot 4's form of the health component: Boot 3's class is absent from this path.
              assertThat(ctx.getBean("millicentHealthIndicator"))
                  .isInstanceOf(MillicentHealthIndicator.class);
            });
  }

  @Test
  void springPathPatterns_areListedInTheManifestsPatternLanguage() {
    assertThat(PricedHandlers.glob("/articles/{id}")).isEqualTo("/articles/*");
    assertThat(PricedHandlers.glob("/a/{id:[0-9]{1,3}}/b")).isEqualTo("/a/*/b");
    assertThat(PricedHandlers.glob("/files/{*path}")).isEqualTo("/files/**");
    assertThat(PricedHandlers.glob("/docs/**")).isEqualTo("/docs/**");
    assertThat(PricedHandlers.glob("/v?/x*.txt")).isEqualTo("/v*/x*.txt");
    assertThat(PricedHandlers.glob("/cheap")).isEqualTo("/cheap");
  }

  @Test
  void backsOff_whenTheApplicationOpensItsOwnRuntime() {
    runner()
        .withUserConfiguration(OwnGateway.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(MillicentGateway.class);
              assertThat(ctx.getBean(MillicentGateway.class).config().vendor()).isEqualTo("own");
            });
  }

  @Test
  void maxAnswerBytes_isReadAsADataSize_andDefaultsTo16MiB() {
    runner()
        .run(
            ctx ->
                assertThat(ctx.getBean(MillicentGateway.class).config().maxAnswerBytes())
                    .isEqualTo(16L * 1024 * 1024));
    runner()
        .withPropertyValues("millicent.vendor.max-answer-bytes=64KB")
        .run(
            ctx ->
                assertThat(ctx.getBean(MillicentGateway.class).config().maxAnswerBytes())
                    .isEqualTo(64L * 1024));
  }

  @Test
  void isOff_whenDisabled() {
    runner()
        .withPropertyValues("millicent.vendor.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MillicentGateway.class));
  }

  @Test
  void aBadSetting_stopsTheApplication_namingTheKey() {
    runner()
        .withPropertyValues("millicent.vendor.prices[0].price=cheap")
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .hasStackTraceContaining("prices[0].price: expected an amount"));
  }

  @Test
  void aMalformedPricedAmount_isRefused_namingTheHandler() throws Exception {
    PricedHandlers priced = new PricedHandlers(List::of);
    HandlerMethod bad = new HandlerMethod(new Handlers(), Handlers.class.getMethod("bad"));
    HandlerMethod cents = new HandlerMethod(new Handlers(), Handlers.class.getMethod("cents"));
    HandlerMethod plain = new HandlerMethod(new Handlers(), Handlers.class.getMethod("plain"));

    assertThatThrownBy(() -> priced.price(bad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@Priced(\"ten\")")
        .hasMessageContaining("bad");
    assertThat(priced.price(cents)).hasValue(250);
    assertThat(priced.price(plain)).isEmpty();
  }

  /** Handlers with good, bad and no prices. */
  public static class Handlers {
    /** Not an amount. */
    @Priced("ten")
    public String bad() {
      return "";
    }

    /** A quarter cent. */
    @Priced("0.25c")
    public String cents() {
      return "";
    }

    /** Unpriced. */
    public String plain() {
      return "";
    }
  }

  /** An application that opens its own vendor runtime. */
  @Configuration(proxyBeanMethods = false)
  static class OwnGateway {
    @Bean(destroyMethod = "close")
    MillicentGateway ownGateway(
        @org.springframework.beans.factory.annotation.Value("${millicent.vendor.data-dir}")
            Path data) {
      return MillicentGateway.open(
          VendorConfig.builder("own").free("/").build(), data.resolveSibling("own"));
    }
  }
}
