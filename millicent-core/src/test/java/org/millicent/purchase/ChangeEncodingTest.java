package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.protocol.Payer;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * A purchase sends its change with the encoding the minter made, once; these check that it is
 * exactly {@link ScripCodec#encode} of the change and that callers cannot alter it.
 */
class ChangeEncodingTest {
  private static final byte[] EMPTY_BODY_DIGEST = RequestDescriptor.digest(new byte[0]);

  @Test
  void mintEncoded_encoding_isTheCodecsEncodingOfTheScrip() {
    TestVendor v = new TestVendor();
    ScripMinter.Minted m =
        v.minter.mintEncoded(
            2500,
            TestVendor.ALICE,
            TestVendor.EXPIRES,
            ScripProperties.of(Map.of("country", "fr", "note", "café")),
            SpendMode.BEARER);

    assertThat(m.encoding()).isEqualTo(ScripCodec.encode(m.scrip()));
    assertThat(ScripCodec.decode(m.encoding())).isEqualTo(m.scrip());
  }

  @Test
  void changeBytes_areTheChangesEncoding_andACopyEachTime() {
    TestVendor v = new TestVendor();
    Purchase p = v.service.pay(v.signed(v.mint(1000, TestVendor.ALICE)), scrip -> 100);

    byte[] first = p.changeBytes();
    first[0] ^= 1;

    assertThat(p.changeBytes()).isEqualTo(ScripCodec.encode(p.change().orElseThrow()));
  }

  @Test
  void replyMac_coversTheSameChangeBytesThatAreSent() {
    TestVendor v = new TestVendor();
    Scrip scrip = v.mint(1000, TestVendor.ALICE);
    var payment = v.signed(scrip);
    Purchase p = v.service.pay(payment, s -> 100);

    byte[] replyMac = p.replyMac(200, EMPTY_BODY_DIGEST);

    Optional<Scrip> change =
        Payer.verifySignedReply(
            v.secretOf(TestVendor.ALICE),
            payment.mac(),
            200,
            p.changeBytes(),
            EMPTY_BODY_DIGEST,
            replyMac);
    assertThat(change).contains(p.change().orElseThrow());
  }

  @Test
  void exactPayment_hasNoChange_andEmptyChangeBytes() {
    TestVendor v = new TestVendor();
    Purchase p = v.service.pay(v.signed(v.mint(100, TestVendor.ALICE)), scrip -> 100);

    assertThat(p.change()).isEmpty();
    assertThat(p.changeBytes()).isEmpty();
  }
}
