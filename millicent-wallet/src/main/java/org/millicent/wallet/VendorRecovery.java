package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.Causes;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.money.Amounts;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;

/**
 * Asks a vendor what became of a recorded payment whose re-send was answered {@code spent} or
 * {@code forged} (docs/WALLET.md, "No value lost"; docs/HTTP-API.md, "POST /millicent/recover"):
 * such an answer to a re-send is no proof of loss, as the first sending may have been the one that
 * spent the scrip. The vendor answers, under a reply MAC the wallet checks with the customer
 * secret, that the scrip was spent by that very request (with the price and change, which the
 * wallet then keeps), never spent (back in the wallet), or spent by another request (gone). Any
 * other answer, or none, leaves the payment in flight for the next recovery: never counted lost.
 *
 * <p>Thread-safe: it holds no state of its own.
 */
final class VendorRecovery {
  /** Path of the vendor's recovery endpoint. */
  static final String PATH = "/millicent/recover";

  private final WalletStore store;
  private final ObjectMapper json;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();

  VendorRecovery(WalletStore store, ObjectMapper json, InstantSource clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Settles {@code rec} from the vendor's record, after {@code refusal} answered its re-send.
   *
   * @throws WalletException {@code payment-in-flight} when the vendor's record could not be had or
   *     did not verify: the payment stays recorded, its scrip in flight
   */
  Outcome recover(PaymentRecord rec, Response refusal, Transport transport)
      throws InterruptedException {
    Problem problem = Problem.of(refusal);
    Payment sent = PaymentHeader.parse(rec.draft().authorization(), rec.descriptor());
    byte[] fingerprint =
        switch (sent) {
          case Payment.Signed s -> s.mac();
          case Payment.Private p -> SealedBox.tag(p.sealedPayment());
          case Payment.Clear c -> throw new IllegalStateException("the wallet never pays in clear");
        };
    List<HeldScrip> inputs = store.scripOf(rec.id());
    Scrip scrip =
        sent instanceof Payment.Signed s ? ScripCodec.decode(s.scrip()) : inputs.getFirst().scrip();
    CustomerSecret secret =
        store
            .paymentSecret(rec)
            .orElseThrow(() -> stillInFlight(rec, "the wallet lost its customer secret", null));
    byte[] body;
    try {
      body = json.writeValueAsBytes(Map.of("fingerprint", Base64Url.encode(fingerprint)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    URI origin = URI.create(rec.draft().url()).resolve(PATH);
    Request ask = Request.post(origin, "application/json", body);
    PaymentDraft draft =
        PaidRequests.payment("recover", Variant.SIGNED, scrip, secret, ask, 0, random);
    Payment.Signed asked =
        (Payment.Signed)
            PaymentHeader.parse(draft.authorization(), PaidRequests.descriptor(ask, draft.body()));
    Response r;
    try {
      r = transport.send(ask.withHeader("Authorization", draft.authorization()));
    } catch (IOException e) {
      throw stillInFlight(rec, "the vendor could not be asked: " + Causes.describe(e), e);
    }
    if (r.status() != 200 || r.header(Headers.RECEIPT).isEmpty()) {
      throw stillInFlight(
          rec, "the vendor's record could not be had: " + Problem.of(r).code(), null);
    }
    Optional<Scrip> change;
    long price;
    JsonNode answer;
    try {
      Receipt receipt = Receipt.parse(r.header(Headers.RECEIPT).get());
      change = Payer.verifySignedReceipt(secret, asked.mac(), 200, receipt, r.body());
      price = receipt.priceMillicents();
      answer = json.readTree(r.body());
      if (answer == null || !scrip.id().toString().equals(answer.path("scrip_id").asText())) {
        throw new IllegalArgumentException("the answer is about another scrip");
      }
    } catch (PaymentException | IOException | IllegalArgumentException e) {
      throw stillInFlight(rec, "the vendor's record does not verify: " + e.getMessage(), e);
    }
    String state = answer.path("state").asText();
    String asWas = problem.code() + " in answer to a re-send";
    return switch (state) {
      case "spent" -> {
        List<Scrip> received = new ArrayList<>();
        change.ifPresent(received::add);
        for (JsonNode t : answer.path("scrip")) {
          received.add(ScripCodec.fromToken(t.asText()));
        }
        String detail =
            "the vendor answered "
                + asWas
                + "; its record shows this very request charged "
                + Amounts.format(price)
                + " and returned "
                + Amounts.format(received.stream().mapToLong(Scrip::valueMillicents).sum())
                + ", recovered";
        String source =
            rec.draft().kind().equals(PaymentRecord.EXCHANGE)
                ? (inputs.size() > 1 ? "merged" : "renewed")
                : "change";
        store.settleAccepted(rec.id(), price, received, source, detail, clock.instant());
        yield rec.draft().kind().equals(PaymentRecord.EXCHANGE)
            ? new Accepted(r, price, received)
            : new Refused(refusal, problem.code(), detail, ScripState.SPENT);
      }
      case "unspent" -> {
        String detail =
            "the vendor answered "
                + asWas
                + ", but its record shows the scrip never spent: it is back in the wallet";
        store.settleRefused(
            rec.id(), problem.code(), detail, ScripState.AVAILABLE, clock.instant());
        yield new Refused(refusal, problem.code(), detail, ScripState.AVAILABLE);
      }
      case "spent-by-another" -> {
        String detail = problem.detail() + " (the vendor's record: spent by another request)";
        store.settleRefused(rec.id(), problem.code(), detail, ScripState.SPENT, clock.instant());
        yield new Refused(refusal, problem.code(), detail, ScripState.SPENT);
      }
      default ->
          throw stillInFlight(rec, "the vendor's record has an unknown state " + state, null);
    };
  }

  private static WalletException stillInFlight(
      PaymentRecord rec, String why, @Nullable Throwable cause) {
    return new WalletException(
        WalletException.Code.PAYMENT_IN_FLIGHT,
        "payment "
            + rec.id()
            + " to "
            + rec.draft().vendor()
            + " was refused on a re-send, which does not prove it lost; "
            + why
            + ": it stays recorded (its scrip in flight, not lost) and the next recovery asks"
            + " again",
        cause);
  }
}
