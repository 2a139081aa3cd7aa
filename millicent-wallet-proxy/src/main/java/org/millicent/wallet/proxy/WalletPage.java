package org.millicent.wallet.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.millicent.bytes.ConstantTime;
import org.millicent.http.DashboardAssets;
import org.millicent.money.Amounts;
import org.millicent.wallet.Budget;
import org.millicent.wallet.Wallet;

/**
 * The wallet's own page, served by the proxy at its own address (docs/WALLET.md, "The wallet
 * page"). Only to loopback peers, only under the proxy's own {@code Host} (so a page elsewhere that
 * rebinds its name to 127.0.0.1 is refused), and only with the token the proxy printed at start: no
 * web page can read it or change the budget. The chart library (uPlot) is served from the jar.
 * Thread-safe.
 */
final class WalletPage {
  /** uPlot and its style sheet, as the servers' dashboards serve them. */
  private static final DashboardAssets ASSETS = DashboardAssets.load();

  private final Wallet wallet;
  private final ProxyActivity activity;
  private final byte[] token;
  private final IntSupplier ownPort;
  private final LocalCa ca;

  WalletPage(Wallet wallet, LocalCa ca, ProxyActivity activity, String token, IntSupplier ownPort) {
    this.wallet = wallet;
    this.ca = ca;
    this.activity = activity;
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.ownPort = ownPort;
  }

  boolean handle(Request request, Response response, Callback callback) {
    if (!(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress p)
        || !p.getAddress().isLoopbackAddress()) {
      return text(response, callback, 403, "the wallet page answers loopback only");
    }
    if (!ownHost(request.getHeaders().get(HttpHeader.HOST))) {
      return text(response, callback, 421, "the wallet page answers to its own address only");
    }
    String path = request.getHttpURI().getPath();
    switch (path == null ? "/" : path) {
      case "/uplot.js", "/uplot.css" -> {
        String name = path.substring(1);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
        return bytes(response, callback, 200, DashboardAssets.type(name), ASSETS.bytes(name));
      }
      case "/chart.js" -> {
        return resource(
            response, callback, "/org/millicent/wallet/proxy/chart.js", "text/javascript");
      }
      case "/ca.pem" -> {
        return send(response, callback, 200, "application/x-pem-file", ca.certificatePem());
      }
      case "/" -> {
        if (!tokenOk(Request.extractQueryParameters(request).getValue("token"))) {
          return text(
              response,
              callback,
              403,
              "open the wallet page at the address the proxy printed when it started (it carries a token)");
        }
        return send(
            response,
            callback,
            200,
            "text/html; charset=utf-8",
            WalletPageHtml.render(wallet, activity, new String(token, StandardCharsets.US_ASCII)));
      }
      case "/budget" -> {
        return budget(request, response, callback);
      }
      default -> {
        return text(response, callback, 404, "no such page on the wallet proxy");
      }
    }
  }

  private boolean budget(Request request, Response response, Callback callback) {
    if (!"POST".equals(request.getMethod())) {
      return text(response, callback, 405, "POST the budget form");
    }
    Fields form;
    try {
      form = FormFields.getFields(request);
    } catch (RuntimeException e) {
      return text(response, callback, 400, "the form cannot be read");
    }
    if (!tokenOk(form.getValue("token"))) {
      return text(response, callback, 403, "the form carries no valid token");
    }
    try {
      Budget b =
          new Budget(
              Amounts.parse(form.getValue("per_request")),
              Amounts.parse(form.getValue("per_vendor_day")),
              Amounts.parse(form.getValue("total")));
      wallet.setBudget(b);
      activity.log("budget set on the wallet page: " + WalletPageHtml.describe(b));
    } catch (RuntimeException e) {
      return text(response, callback, 400, "bad budget: " + e.getMessage());
    }
    response.setStatus(303);
    response
        .getHeaders()
        .put(HttpHeader.LOCATION, "/?token=" + new String(token, StandardCharsets.US_ASCII));
    response.write(true, null, callback);
    return true;
  }

  private boolean tokenOk(String given) {
    return given != null && ConstantTime.equal(token, given.getBytes(StandardCharsets.US_ASCII));
  }

  private boolean ownHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    String port = ":" + ownPort.getAsInt();
    return h.equals("127.0.0.1" + port) || h.equals("localhost" + port) || h.equals("[::1]" + port);
  }

  private boolean resource(Response response, Callback callback, String path, String type) {
    try (InputStream in = WalletPage.class.getResourceAsStream(path)) {
      if (in == null) {
        return text(response, callback, 404, "missing resource " + path);
      }
      byte[] body = in.readAllBytes();
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
      return bytes(response, callback, 200, type, body);
    } catch (IOException e) {
      callback.failed(e);
      return true;
    }
  }

  private static boolean text(Response response, Callback callback, int status, String message) {
    return send(response, callback, status, "text/plain; charset=utf-8", message + "\n");
  }

  private static boolean send(
      Response response, Callback callback, int status, String type, String body) {
    return bytes(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean bytes(
      Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("X-Frame-Options", "DENY");
    response
        .getHeaders()
        .put("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
