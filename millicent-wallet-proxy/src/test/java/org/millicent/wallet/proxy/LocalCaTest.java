package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {
  @TempDir Path dir;

  @Test
  void firstOpen_makesTheCaBesideTheWallet_keyReadableByTheOwnerOnly() throws Exception {
    LocalCa ca = LocalCa.openOrCreate(dir);

    assertThat(dir.resolve(LocalCa.CERT_FILE)).exists();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(LocalCa.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(ca.certificate().getBasicConstraints()).isZero();
    assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(ca.certificatePem()).doesNotContain("PRIVATE");
  }

  @Test
  void secondOpen_keepsTheSameCa() {
    LocalCa first = LocalCa.openOrCreate(dir);
    LocalCa again = LocalCa.openOrCreate(dir);

    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
  }

  @Test
  void leafForAName_isSignedByTheCa_namesTheHost_andIsKept() throws Exception {
    LocalCa ca = LocalCa.openOrCreate(dir);

    LocalCa.Leaf leaf = ca.leafFor("Venetia.Example");
    X509Certificate cert = leaf.chain()[0];

    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "venetia.example"));
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.leafFor("venetia.example").chain()[0]).isEqualTo(cert);
  }

  @Test
  void leafForAnIpAddress_namesTheAddress() throws Exception {
    LocalCa ca = LocalCa.openOrCreate(dir);

    X509Certificate cert = ca.leafFor("127.0.0.1").chain()[0];

    assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
  }

  @Test
  void leafOfAnotherWalletsCa_doesNotVerifyUnderThisOne() throws Exception {
    LocalCa ours = LocalCa.openOrCreate(dir.resolve("a"));
    LocalCa theirs = LocalCa.openOrCreate(dir.resolve("b"));

    X509Certificate foreign = theirs.leafFor("venetia.example").chain()[0];

    assertThatThrownBy(() -> foreign.verify(ours.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }
}
