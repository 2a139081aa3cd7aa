package org.millicent.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The start-up check of a path the configuration prices for some methods only, whose handler also
 * answers other methods and so serves them free: a Spring MVC application context with the starter,
 * priced {@code GET /reports/**} in its properties, and one controller per case.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnpricedMethodsTest {
  private static final String WARNING = "free, though the configuration prices";

  @TempDir Path dir;

  private WebApplicationContextRunner runner(Class<?> controller) {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MillicentAutoConfiguration.class))
        .withUserConfiguration(Mvc.class, controller)
        .withPropertyValues(
            "millicent.vendor.name=venetia", "millicent.vendor.data-dir=" + dir.resolve("data"));
  }

  private WebApplicationContextRunner pricedGet(Class<?> controller) {
    return runner(controller)
        .withPropertyValues(
            "millicent.vendor.prices[0].path=/reports/**", "millicent.vendor.prices[0].price=100");
  }

  @Test
  void aHandlerForEveryMethod_underAGetPrice_isWarnedOf_namingTheMethodsServedFree(
      CapturedOutput out) {
    pricedGet(AllMethods.class).run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut())
        .contains(
            "AllMethods#report",
            "answers POST, PUT, PATCH, DELETE, OPTIONS /reports/{id} free, though the"
                + " configuration prices GET, HEAD there (its path patterns cover /reports/*)",
            "@Priced(\"0\")",
            "millicent.vendor.unpriced-methods=fail");
  }

  @Test
  void aPostHandler_besideAPricedGet_isWarnedOf_andTheGetIsNot(CapturedOutput out) {
    pricedGet(GetAndPost.class).run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut())
        .contains("GetAndPost#update", "answers POST /reports/{id} free")
        .doesNotContain("GetAndPost#read");
  }

  @Test
  void anExplicitlyFreeHandler_isNotWarnedOf(CapturedOutput out) {
    pricedGet(ExplicitlyFree.class).run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut()).doesNotContain(WARNING);
  }

  @Test
  void aHandlerItsPricedCovers_isNotWarnedOf(CapturedOutput out) {
    pricedGet(PricedAll.class).run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut()).doesNotContain(WARNING);
  }

  @Test
  void withoutAnyConfiguredPrice_nothingIsWarnedOf(CapturedOutput out) {
    runner(AllMethods.class).run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut()).doesNotContain(WARNING);
  }

  @Test
  void aPriceForAnyMethod_coversTheHandler(CapturedOutput out) {
    pricedGet(AllMethods.class)
        .withPropertyValues("millicent.vendor.prices[0].method=*")
        .run(ctx -> assertThat(ctx).hasNotFailed());

    assertThat(out.getOut()).doesNotContain(WARNING);
  }

  @Test
  void unpricedMethodsFail_stopsTheStart_namingTheHandler() {
    pricedGet(AllMethods.class)
        .withPropertyValues("millicent.vendor.unpriced-methods=fail")
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .hasStackTraceContaining("millicent.vendor.unpriced-methods=fail")
                    .hasStackTraceContaining(
                        "AllMethods#report[1 args] answers POST, PUT, PATCH, DELETE, OPTIONS"));
  }

  /** Spring MVC, with its request-mapping handler mapping. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  static class Mvc {}

  /** Answers every method at a path whose GET the configuration prices. */
  @RestController
  public static class AllMethods {
    /** Any method. */
    @RequestMapping("/reports/{id}")
    public String report(@PathVariable("id") String id) {
      return "report " + id;
    }
  }

  /** A GET handler and a POST handler at a path whose GET the configuration prices. */
  @RestController
  public static class GetAndPost {
    /** Priced by the configuration. */
    @GetMapping("/reports/{id}")
    public String read(@PathVariable("id") String id) {
      return "report " + id;
    }

    /** Not priced by it. */
    @PostMapping("/reports/{id}")
    public String update(@PathVariable("id") String id) {
      return "updated " + id;
    }
  }

  /** Every method, free on purpose. */
  @RestController
  public static class ExplicitlyFree {
    /** Any method, free. */
    @RequestMapping("/reports/{id}")
    @Priced("0")
    public String report(@PathVariable("id") String id) {
      return "report " + id;
    }
  }

  /** Every method, priced by the annotation. */
  @RestController
  public static class PricedAll {
    /** Any method, 100 millicents. */
    @RequestMapping("/reports/{id}")
    @Priced("100")
    public String report(@PathVariable("id") String id) {
      return "report " + id;
    }
  }
}
