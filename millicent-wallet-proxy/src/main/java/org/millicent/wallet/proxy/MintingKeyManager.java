package org.millicent.wallet.proxy;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Shows each intercepted tunnel a certificate for the host of its {@code CONNECT}, which must be
 * the name the client sends in SNI when it sends one (an IP address is not sent). The alias is the
 * host itself; {@link LocalCa} mints and keeps the certificate. Server side only: the client-side
 * methods answer null, "no alias", as {@link javax.net.ssl.X509KeyManager} allows. Thread-safe.
 */
final class MintingKeyManager extends X509ExtendedKeyManager {
  private final LocalCa ca;
  private final TunnelTargets tunnels;

  MintingKeyManager(LocalCa ca, TunnelTargets tunnels) {
    this.ca = ca;
    this.tunnels = tunnels;
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal[] issuers, SSLEngine engine) {
    if (!keyType.startsWith("EC")) {
      return null;
    }
    // Only for a tunnel the proxy opened, and only for its host: a process that reaches the TLS
    // listener directly, or names another host in SNI, gets no certificate minted for anything.
    Optional<TunnelTargets.Target> tunnel = tunnels.target(engine.getPeerPort());
    if (tunnel.isEmpty()) {
      return null;
    }
    String host = tunnel.get().host();
    Optional<String> sni = sniHost(engine.getHandshakeSession());
    if (sni.isPresent() && !sni.get().equalsIgnoreCase(host)) {
      return null;
    }
    return host;
  }

  private static Optional<String> sniHost(SSLSession session) {
    if (session instanceof ExtendedSSLSession s) {
      for (SNIServerName n : s.getRequestedServerNames()) {
        if (n.getType() == StandardConstants.SNI_HOST_NAME && n instanceof SNIHostName h) {
          return Optional.of(h.getAsciiName());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ca.leafFor(alias).chain();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ca.leafFor(alias).key();
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
