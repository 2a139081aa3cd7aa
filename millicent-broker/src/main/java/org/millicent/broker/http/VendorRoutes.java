package org.millicent.broker.http;

import static org.millicent.broker.http.Views.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.VendorJoin;
import org.millicent.broker.supply.Licence;
import org.millicent.http.AccessGuard;
import org.millicent.http.RouteMethods;

/**
 * What vendors call (docs/HTTP-API.md, "Broker"): joining with a licence, and settling the scrip
 * they took. Both carry secrets, so both come over TLS or loopback. Thread-safe.
 */
final class VendorRoutes {
  private final Broker broker;
  private final String joinToken;

  VendorRoutes(Broker broker, String joinToken) {
    this.broker = broker;
    this.joinToken = joinToken;
  }

  void register(RouteMethods routes, RoutesConfig r) {
    routes.post(r, "/broker/settlements", this::settlements);
    routes.post(r, "/broker/vendors/join", this::joinVendor);
  }

  private void settlements(Context ctx) {
    Guard.requireSecureChannel(ctx); // the settlement token is a secret, as the admin token is
    Body b = Body.parse(ctx.bodyAsBytes());
    String vendor = b.text("vendor");
    Optional<VendorConfig> vc = broker.vendor(vendor);
    String expected = vc.flatMap(VendorConfig::settlementToken).orElse(null);
    if (!AccessGuard.tokenMatches(expected, Guard.bearer(ctx))) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "settlements need the settlement token configured for vendor \"" + vendor + '"');
    }
    json(ctx, 200, Views.settlement(broker.settle(vendor, b.unsignedList("scrip_ids"))));
  }

  /**
   * {@code POST /broker/vendors/join}: a vendor brings a licence it issued to this broker, which
   * sells its scrip from then on (docs/HTTP-API.md, "POST /broker/vendors/join"). The body carries
   * secrets, so it comes over TLS or loopback; the join token is required unless the caller is on
   * loopback, and checked whenever it is presented.
   */
  private void joinVendor(Context ctx) {
    Guard.requireSecureChannel(ctx);
    String t = Guard.bearer(ctx);
    if (t == null ? !Guard.isLoopback(ctx) : !AccessGuard.tokenMatches(joinToken, t)) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          t == null
              ? "joining from another machine needs Authorization: Bearer <join token> (the"
                  + " broker prints it at its start)"
              : "the join token is not this broker's (it prints its join token at its start)");
    }
    Body b = Body.parse(ctx.bodyAsBytes());
    List<URI> publicUrls = new ArrayList<>();
    JsonNode urls = b.root().get("public_urls");
    if (urls != null && !urls.isNull()) {
      if (!urls.isArray()) {
        throw new BrokerException(BrokerError.BAD_REQUEST, "public_urls must be a list of URLs");
      }
      for (JsonNode u : urls) {
        publicUrls.add(uri(u.asText(), "public_urls"));
      }
    }
    JsonNode discount = b.root().get("discount_bps");
    if (discount != null
        && !discount.isNull()
        && !(discount.isIntegralNumber() && discount.canConvertToInt())) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "discount_bps must be an integer");
    }
    Licence licence = Licence.fromJson(b.root().get("licence"));
    boolean joined =
        broker.join(
            new VendorJoin(
                b.text("vendor"),
                uri(b.text("url"), "url"),
                publicUrls,
                b.text("token"),
                discount == null || discount.isNull() ? licence.discountBps() : discount.intValue(),
                licence));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("broker", broker.id());
    out.put("vendor", b.text("vendor"));
    out.put("joined", joined ? "new" : "again");
    json(ctx, 200, out);
  }

  private static URI uri(String text, String field) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, field + " is not a URL: " + text);
    }
  }
}
