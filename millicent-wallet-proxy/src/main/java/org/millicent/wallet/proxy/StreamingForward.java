package org.millicent.wallet.proxy;

import java.net.URI;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.millicent.protocol.AuthParams;

/**
 * Jetty's forward proxy for plain {@code http://} requests to origins not known as vendors:
 * keep-alive both ways, bodies streamed, hop-by-hop fields dropped. One addition: an answer that is
 * a Millicent 402 offer is not passed on. Its host is noted as a vendor's (so later {@code
 * https://} tunnels to it are intercepted), and a request without a body is handed to the paying
 * path, which asks again and pays; one with a body gets the offer as it came (its body was streamed
 * and is gone), and its next attempt goes the paying path. Thread-safe.
 */
final class StreamingForward extends ProxyHandler.Forward {
  private final InterceptPolicy policy;
  private final PaidForward paid;

  StreamingForward(InterceptPolicy policy, PaidForward paid) {
    this.policy = policy;
    this.paid = paid;
  }

  @Override
  protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
      Request clientToProxy,
      org.eclipse.jetty.client.Request proxyToServer,
      Response proxyToClient,
      Callback callback) {
    return new OfferWatch(clientToProxy, proxyToServer, proxyToClient, callback);
  }

  static boolean isMillicentOffer(int status, HttpFields headers) {
    if (status != 402) {
      return false;
    }
    for (HttpField f : headers.getFields(HttpHeader.WWW_AUTHENTICATE)) {
      if (AuthParams.isMillicent(f.getValue())) {
        return true;
      }
    }
    return false;
  }

  static boolean hasBody(Request r) {
    return r.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        || r.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0;
  }

  /** Jetty's listener, holding back a Millicent offer. Used by one exchange at a time. */
  private final class OfferWatch extends ProxyResponseListener {
    private final Request clientToProxy;
    private final Response proxyToClient;
    private final Callback callback;
    private boolean pay;

    OfferWatch(
        Request clientToProxy,
        org.eclipse.jetty.client.Request proxyToServer,
        Response proxyToClient,
        Callback callback) {
      super(clientToProxy, proxyToServer, proxyToClient, callback);
      this.clientToProxy = clientToProxy;
      this.proxyToClient = proxyToClient;
      this.callback = callback;
    }

    @Override
    public void onHeaders(org.eclipse.jetty.client.Response response) {
      if (isMillicentOffer(response.getStatus(), response.getHeaders())) {
        URI uri = clientToProxy.getHttpURI().toURI();
        policy.seenAnswering402(uri);
        if (!hasBody(clientToProxy) && !"HEAD".equals(clientToProxy.getMethod())) {
          pay = true;
          return;
        }
      }
      super.onHeaders(response);
    }

    @Override
    public void onContent(
        org.eclipse.jetty.client.Response response, Content.Chunk chunk, Runnable demander) {
      if (pay) {
        demander.run();
        return;
      }
      super.onContent(response, chunk, demander);
    }

    @Override
    public void onSuccess(org.eclipse.jetty.client.Response response) {
      if (!pay) {
        super.onSuccess(response);
      }
    }

    @Override
    public void onComplete(Result result) {
      if (!pay) {
        super.onComplete(result);
        return;
      }
      URI uri = clientToProxy.getHttpURI().toURI();
      Thread.ofVirtual()
          .name("millicent-proxy-pay")
          .start(() -> paid.forward(clientToProxy, uri, proxyToClient, callback));
    }
  }
}
