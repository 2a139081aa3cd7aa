package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millicent.protocol.Headers;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/**
 * HEAD requests (docs/HTTP-API.md, "HEAD"): answered like the GET without its body, and never
 * charged, since they deliver no content. A paid HEAD is refused and its scrip left unspent.
 */
class VendorHeadIT {
  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(VendorConfig.sampleBuilder().port(0).build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();

  @Test
  void headOfAFreePage_isTheGetWithoutItsBody() {
    HttpResponse<byte[]> get = http.get("/");
    HttpResponse<byte[]> head = http.send("HEAD", "/", new byte[0]);
    assertThat(head.statusCode()).isEqualTo(200).isEqualTo(get.statusCode());
    assertThat(head.body()).isEmpty();
    assertThat(get.body()).isNotEmpty();
    assertThat(head.headers().firstValue("Content-Type"))
        .isEqualTo(get.headers().firstValue("Content-Type"));
  }

  @Test
  void headOfAPricedPage_isTheOfferWithoutABody() {
    HttpResponse<byte[]> get = http.get("/pages/haiku.html");
    HttpResponse<byte[]> head = http.send("HEAD", "/pages/haiku.html", new byte[0]);
    assertThat(head.statusCode()).isEqualTo(402);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("WWW-Authenticate"))
        .isPresent()
        .isEqualTo(get.headers().firstValue("WWW-Authenticate"));
    assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(head.headers().firstValue(Headers.RECEIPT)).isEmpty();
  }

  @Test
  void headOfAnUnknownPath_isNotFound() {
    assertThat(http.send("HEAD", "/nowhere", new byte[0]).statusCode()).isEqualTo(404);
  }

  @Test
  void paidHead_isRefusedAs405_andTheScripStaysUnspent() throws Exception {
    Scrip s = alice.scrip(1_000);
    HttpResponse<byte[]> head =
        http.pay(
            http.signed(s, alice.secret(), "HEAD", "/pages/haiku.html", new byte[0]), new byte[0]);
    assertThat(head.statusCode()).isEqualTo(405);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Allow")).hasValue("GET");
    assertThat(head.headers().firstValue(Headers.RECEIPT)).isEmpty();

    // The same scrip then pays for the page in full: nothing was taken by the HEAD.
    HttpResponse<byte[]> get =
        http.pay(
            http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]), new byte[0]);
    assertThat(get.statusCode()).isEqualTo(200);
    long price = Long.parseLong(TestHttp.receipt(get).get("price"));
    Scrip change = ScripCodec.fromToken(TestHttp.receipt(get).get("change"));
    assertThat(change.valueMillicents()).isEqualTo(1_000 - price);
  }

  @Test
  void paidHead_isCountedUnderItsProblemCode() {
    // A HEAD answer has no body to carry the problem document; the code shows in the metrics.
    Scrip s = alice.scrip(1_000);
    double before = headNotPayableCount();
    HttpResponse<byte[]> head =
        http.pay(
            http.signed(s, alice.secret(), "HEAD", "/pages/recipe.html", new byte[0]), new byte[0]);
    assertThat(head.statusCode()).isEqualTo(405);
    assertThat(head.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith(Problems.PROBLEM_JSON));
    assertThat(headNotPayableCount()).isEqualTo(before + 1);
  }

  private double headNotPayableCount() {
    return TestHttp.text(http.get("/metrics"))
        .lines()
        .filter(l -> l.startsWith("millicent_vendor_rejections_total{"))
        .filter(l -> l.contains("code=\"head-not-payable\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
