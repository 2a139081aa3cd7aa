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

/**
 * Shows each intercepted tunnel a certificate for the host it asked for: the name the client sent
 * in SNI, else (an IP address, which TLS does not name) the host of its {@code CONNECT}. The alias
 * is the host itself; {@link LocalCa} mints and keeps the certificate. Server side only.
 * Thread-safe.
 */
final class MintingKeyManager extends X509ExtendedKeyManager {
  private final LocalCa ca;
  private final TunnelTargets tunnels;

  MintingKeyManager(LocalCa ca, TunnelTargets tunnels) {
    this.ca = ca;
    this.tunnels = tunnels;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    if (!keyType.startsWith("EC")) {
      return null;
    }
    return sniHost(engine.getHandshakeSession())
        .or(() -> tunnels.target(engine.getPeerPort()).map(TunnelTargets.Target::host))
        .orElse(null);
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
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
