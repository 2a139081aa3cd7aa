package org.millicent.spring.shop;

import org.millicent.servlet.testing.Runs;
import org.millicent.servlet.testing.ShopScenarios;
import org.millicent.spring.Priced;
import org.millicent.vendor.VerifiedPayment;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot application {@link StarterScenarios} sells from (on Boot 4 here, on Boot 3 in
 * millicent-spring-boot3-it), as docs/SPRING-BOOT.md shows one: the starter on the class path,
 * {@code millicent.vendor.*} properties, and {@link Priced} handlers answering as the shop of
 * {@link org.millicent.servlet.testing.ShopScenarios} does. Counts how often each handler ran.
 */
@SpringBootApplication
public class ShopApplication {
  /** How often each path's handler ran. */
  private static final Runs RUNS = new Runs();

  static void ran(String path) {
    RUNS.ran(path);
  }

  /** How often the handler of {@code path} ran. */
  public static int runs(String path) {
    return RUNS.of(path);
  }

  static String paid(String what, VerifiedPayment paid) {
    return ShopScenarios.paidText(what, paid);
  }

  /** Handlers priced one by one, and free ones. */
  @RestController
  public static class Shop {
    /** 0.1 cent an article. */
    @GetMapping("/articles/{id}")
    @Priced("100")
    public String article(@PathVariable("id") String id, VerifiedPayment paid) {
      ran("/articles/" + id);
      return paid("/articles/" + id, paid);
    }

    /** Half that, written in cents. */
    @GetMapping("/cheap")
    @Priced("0.05c")
    public String cheap(VerifiedPayment paid) {
      ran("/cheap");
      return paid("/cheap", paid);
    }

    /** Answers 500: the payment must be released. */
    @GetMapping("/fail")
    @Priced("100")
    public ResponseEntity<String> fail() {
      ran("/fail");
      return ResponseEntity.internalServerError().body("the application broke");
    }

    /** Throws: the payment must be released. */
    @GetMapping("/boom")
    @Priced("100")
    public String boom() {
      ran("/boom");
      throw new IllegalStateException("the application threw");
    }

    /** Echoes the paid body. */
    @PostMapping(path = "/echo", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Priced("200")
    public byte[] echo(@RequestBody byte[] body) {
      ran("/echo");
      return body;
    }

    /** A form sent with PUT, read as request parameters (Spring's FormContentFilter parses it). */
    @PutMapping("/form")
    @Priced("100")
    public String form(@RequestParam("item") String item, VerifiedPayment paid) {
      ran("/form");
      return paid("/form item=" + item, paid);
    }

    /** Not annotated: free, and paid nothing. */
    @GetMapping("/free")
    public String free(VerifiedPayment paid) {
      ran("/free");
      return "free, paid " + (paid == null ? "nothing" : paid.priceMillicents());
    }

    /** Not annotated, but under a priced path pattern of the properties. */
    @GetMapping("/pattern/{x}")
    public String pattern(@PathVariable("x") String x, VerifiedPayment paid) {
      ran("/pattern/" + x);
      return paid("/pattern/" + x, paid);
    }
  }

  /** A controller priced as a whole, with one handler made free. */
  @RestController
  @RequestMapping("/premium")
  @Priced("$0.002")
  public static class Premium {
    /** The class's price. */
    @GetMapping("/report")
    public String report(VerifiedPayment paid) {
      ran("/premium/report");
      return paid("/premium/report", paid);
    }

    /** Free despite the class. */
    @GetMapping("/teaser")
    @Priced("0")
    public String teaser() {
      ran("/premium/teaser");
      return "teaser";
    }
  }
}
