package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.millicent.failure.ForgedException;
import org.millicent.keys.CustomerSecret;

/** The MAC inputs laid out by hand, as docs/PROTOCOL.md "Request MAC" and "Reply MAC" say. */
class MacsTest {
  private static final CustomerSecret SECRET = CustomerSecret.of(new byte[32]);

  private static byte[] u16(int n) {
    return new byte[] {(byte) (n >>> 8), (byte) n};
  }

  @Test
  void requestInput_isLabelScripNonceAuthorityMethodTargetDigest() {
    byte[] scrip = {9, 8, 7};
    Nonce nonce = Nonce.of(new byte[16]);
    RequestDescriptor r =
        RequestDescriptor.of(
            Authority.of("HTTP", "Venetia.Example", 8080),
            "POST",
            "/a?b=ü",
            "body".getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("millicent-request-v2".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(u16(3));
    expected.writeBytes(scrip);
    expected.writeBytes(new byte[16]);
    expected.write(4);
    expected.writeBytes("http".getBytes(StandardCharsets.US_ASCII));
    expected.write(15);
    expected.writeBytes("venetia.example".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(u16(8080));
    expected.write(4);
    expected.writeBytes("POST".getBytes(StandardCharsets.US_ASCII));
    byte[] target = "/a?b=ü".getBytes(StandardCharsets.UTF_8);
    expected.writeBytes(u16(target.length));
    expected.writeBytes(target);
    expected.writeBytes(RequestDescriptor.digest("body".getBytes(StandardCharsets.UTF_8)));

    assertThat(Macs.requestInput(scrip, nonce, r)).isEqualTo(expected.toByteArray());
  }

  @Test
  void replyInput_isLabelRequestMacStatusChangeDigest() {
    byte[] requestMac = new byte[16];
    Arrays.fill(requestMac, (byte) 0x55);
    byte[] change = {1, 2};
    byte[] digest = RequestDescriptor.digest(new byte[0]);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("millicent-reply-v2".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(requestMac);
    expected.writeBytes(u16(200));
    expected.writeBytes(u16(2));
    expected.writeBytes(change);
    expected.writeBytes(digest);

    assertThat(Macs.replyInput(requestMac, 200, change, digest)).isEqualTo(expected.toByteArray());
    assertThatThrownBy(() -> Macs.replyInput(new byte[15], 200, change, digest))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mac_isTheFirst16BytesOfHmacSha256UnderTheCustomerSecret() {
    byte[] input = "input".getBytes(StandardCharsets.UTF_8);

    assertThat(Macs.mac(SECRET, input)).isEqualTo(Arrays.copyOf(SECRET.hmac(input), 16));
  }

  @Test
  void verify_acceptsTheMacAndRejectsAnyOther() {
    byte[] input = "input".getBytes(StandardCharsets.UTF_8);
    byte[] mac = Macs.mac(SECRET, input);

    Macs.verify(SECRET, input, mac, "test");
    byte[] flipped = mac.clone();
    flipped[15] ^= 1;
    assertThatThrownBy(() -> Macs.verify(SECRET, input, flipped, "test"))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Macs.verify(SECRET, input, Arrays.copyOf(mac, 15), "test"))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Macs.verify(SECRET, input, SECRET.hmac(input), "test"))
        .as("the untruncated MAC is not accepted either")
        .isInstanceOf(ForgedException.class);
  }
}
