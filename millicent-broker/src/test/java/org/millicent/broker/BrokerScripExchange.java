package org.millicent.broker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeService;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/** A customer's renewal of broker scrip at the broker, as the wallet sends it, for tests. */
record BrokerScripExchange(Payment payment, List<byte[]> inputs) {
  /** The renewal of {@code s}, signed with a fresh nonce. */
  static BrokerScripExchange renewal(Scrip s, CustomerSecret secret, SecureRandom random) {
    return renewal(s, secret, Nonce.random(random));
  }

  /**
   * The renewal of {@code s} signed with {@code nonce}: the same nonce makes an identical retry.
   */
  static BrokerScripExchange renewal(Scrip s, CustomerSecret secret, Nonce nonce) {
    byte[] body =
        ("{\"operation\":\"renew\",\"scrip\":[\"" + s.token() + "\"]}")
            .getBytes(StandardCharsets.UTF_8);
    Payment p =
        Payer.signed(
            s,
            secret,
            nonce,
            RequestDescriptor.of(
                Authority.of("https", "bob.example", -1), "POST", "/millicent/exchange", body));
    return new BrokerScripExchange(p, List.of(ScripCodec.encode(s)));
  }

  /** Sends it to {@code broker}. */
  Exchange renewAt(Broker broker) {
    return broker.exchange(payment, inputs, new ExchangeService.Renew());
  }
}
