package org.millicent.wallet.proxy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The wallet's own certificate authority, which lets the proxy read HTTPS to vendors
 * (docs/WALLET.md, "The proxy"). Made at first use beside the wallet database ({@value #CERT_FILE},
 * and {@value #KEY_FILE} with mode 0600); the key never leaves the machine and is never printed.
 * Leaf certificates (ECDSA P-256, valid a week, one per host name or IP address) are minted on
 * demand and kept in memory.
 *
 * <p>Thread-safe.
 */
@SuppressForbidden // wiring: certificates are dated by the real clock browsers check
public final class LocalCa {
  /** The CA certificate, PEM, beside {@code wallet.db}: the file users trust. */
  public static final String CERT_FILE = "proxy-ca.pem";

  /** The CA's private key, PEM, mode 0600. */
  public static final String KEY_FILE = "proxy-ca-key.pem";

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration LEAF_LIFETIME = Duration.ofDays(7);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentMap<String, Leaf> leaves = new ConcurrentHashMap<>();

  /** A minted certificate and its key; the key is never printed. */
  static final class Leaf {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    Leaf(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    PrivateKey key() {
      return key;
    }

    X509Certificate[] chain() {
      return chain.clone();
    }
  }

  private LocalCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * Loads the CA kept in {@code walletDir}, making it first if there is none.
   *
   * @throws UncheckedIOException when the files cannot be read or written
   * @throws IllegalStateException when they exist but do not hold a CA certificate and its key
   */
  public static LocalCa openOrCreate(Path walletDir) {
    Path cert = walletDir.resolve(CERT_FILE);
    Path keyFile = walletDir.resolve(KEY_FILE);
    try {
      if (!Files.exists(keyFile) || !Files.exists(cert)) {
        create(walletDir, cert, keyFile);
      }
      return new LocalCa(readCertificate(Files.readString(cert)), readKey(keyFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the proxy CA in " + walletDir, e);
    }
  }

  private static void create(Path dir, Path cert, Path keyFile) throws IOException {
    Files.createDirectories(dir);
    try {
      KeyPair pair = newKeyPair();
      Instant now = Instant.now();
      X500Name name =
          new X500Name("CN=Millicent wallet proxy CA (" + hostName() + "), O=Millicent, OU=local");
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(127, new SecureRandom()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(CA_LIFETIME)),
              name,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate ca = sign(b, pair.getPrivate());
      // The key first, created 0600 before a byte is written; a crash between the two files leaves
      // a key without a certificate, which the next start replaces.
      writePrivate(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
      Files.writeString(cert, pem(ca), StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the proxy CA: " + e.getMessage(), e);
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("the proxy CA key appeared while it was being made: " + file, e);
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate in PEM, what {@code millicent wallet proxy ca} prints. */
  public String certificatePem() {
    return pem(certificate);
  }

  /** The SHA-256 fingerprint of the CA certificate, colon-separated hex, to compare by eye. */
  public String fingerprint() {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      StringBuilder sb = new StringBuilder();
      for (byte x : d) {
        if (!sb.isEmpty()) {
          sb.append(':');
        }
        sb.append(String.format(Locale.ROOT, "%02X", x));
      }
      return sb.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The certificate and key the proxy shows for {@code host} (a DNS name or an IP address), minted
   * at the first call and kept.
   */
  Leaf leafFor(String host) {
    return leaves.computeIfAbsent(host.toLowerCase(Locale.ROOT), this::mint);
  }

  private Leaf mint(String host) {
    try {
      KeyPair pair = newKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              certificate,
              new BigInteger(127, random),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(LEAF_LIFETIME)),
              new X500Name("CN=" + host.replaceAll("[,=+<>#;\"\\\\]", "")),
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      GeneralName san =
          isIpAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new Leaf(pair.getPrivate(), new X509Certificate[] {sign(b, key), certificate});
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot mint a certificate for " + host, e);
    }
  }

  static boolean isIpAddress(String host) {
    if (host.contains(":")) {
      return true;
    }
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      X509CertificateHolder h = b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer));
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign: " + e.getMessage(), e);
    }
  }

  private static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static X509Certificate readCertificate(String pemText) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pemText))) {
      if (p.readObject() instanceof X509CertificateHolder h) {
        return new JcaX509CertificateConverter().getCertificate(h);
      }
      throw new IllegalStateException("the proxy CA file holds no certificate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the proxy CA certificate cannot be read", e);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      throw new IllegalStateException("the proxy CA key file holds no private key: " + file);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[,=+<>#;\"\\\\]", "");
    } catch (IOException e) {
      return "localhost";
    }
  }
}
