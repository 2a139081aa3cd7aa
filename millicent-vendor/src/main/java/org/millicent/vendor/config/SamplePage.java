package org.millicent.vendor.config;

import java.util.List;

/**
 * One page of the built-in sample catalogue (see {@link VendorConfig#sample()}).
 *
 * @param path where it is served
 * @param title its title
 * @param priceMillicents its price
 * @param text its body text
 */
public record SamplePage(String path, String title, long priceMillicents, String text) {
  /** The sample pages, cheapest first: 0.1, 0.5, 1, 2.5 and 5 cents. */
  public static final List<SamplePage> ALL =
      List.of(
          new SamplePage(
              "/pages/haiku.html",
              "A haiku",
              100,
              "An old silent pond / a frog jumps into the pond / splash! Silence again."),
          new SamplePage(
              "/pages/weather.html",
              "Tomorrow's weather",
              500,
              "Sunny in the morning, showers after noon, a fresh wind from the west."),
          new SamplePage(
              "/pages/recipe.html",
              "Bread in one hour",
              1_000,
              "500 g flour, 350 ml warm water, 10 g salt, 7 g yeast. Knead, rest 40 minutes,"
                  + " bake 20 minutes at 230 C."),
          new SamplePage(
              "/pages/report.html",
              "Market report",
              2_500,
              "Micropayments grew as transaction costs fell: one keyed hash per sale."),
          new SamplePage(
              "/pages/premium.html",
              "The premium article",
              5_000,
              "Millicent (Glassman et al., 1995) lets vendors validate scrip locally, with no"
                  + " call to a bank and no public-key operation."));
}
