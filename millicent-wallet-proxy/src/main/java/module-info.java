/** The wallet as a browser's companion: the paying HTTP(S) proxy, its local CA, the wallet page. */
module org.millicent.wallet.proxy {
  requires static transitive org.jspecify;
  requires transitive org.millicent.wallet;
  requires org.millicent.http;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.proxy;
  requires org.eclipse.jetty.client;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.util;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports org.millicent.wallet.proxy;
}
