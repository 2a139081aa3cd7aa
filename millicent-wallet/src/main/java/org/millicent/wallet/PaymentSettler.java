package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.Causes;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.money.Amounts;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Receipt;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.wallet.http.Response;

/**
 * Reads the answer to a recorded payment and settles it in the store, whether the answer came at
 * once or to a re-send after a crash (docs/HTTP-API.md, "Paying", "POST /millicent/exchange", "POST
 * /broker/vendor-scrip"). An accepted payment's receipt is verified (reply MAC, or the sealed
 * change and body of the private variant) before its change is kept; a refusal returns the scrip to
 * the wallet unless the vendor says it is gone.
 *
 * <p>Thread-safe: it holds no state of its own.
 */
final class PaymentSettler {
  /** Refusal codes after which the scrip is worth nothing to this wallet. */
  private static final Set<String> SCRIP_VOID =
      Set.of("expired", "unknown-key", "forged", "wrong-vendor", "wrong-customer");

  private final WalletStore store;
  private final ObjectMapper json;
  private final InstantSource clock;

  PaymentSettler(WalletStore store, ObjectMapper json, InstantSource clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /** How a payment ended. */
  sealed interface Outcome {}

  /**
   * The vendor or broker accepted the payment.
   *
   * @param response the response, its body opened when it was sealed
   * @param priceMillicents what was charged
   * @param received the change, an exchange's outputs, or the scrip bought
   */
  record Accepted(Response response, long priceMillicents, List<Scrip> received)
      implements Outcome {}

  /**
   * The payment was refused or not taken; the scrip is back in the wallet unless {@code scripState}
   * says otherwise.
   *
   * @param response the response as it came
   * @param code the problem code
   * @param detail what the server said
   * @param scripState where the payment's scrip now stands
   */
  record Refused(Response response, String code, String detail, ScripState scripState)
      implements Outcome {}

  /**
   * Settles {@code payment} with {@code response}.
   *
   * @throws WalletException {@code forged-reply} when the receipt does not verify (the payment is
   *     settled as failed and its scrip counted spent), {@code bad-response} when an accepted
   *     answer is malformed (the payment stays in flight for a later re-send)
   */
  Outcome settle(PaymentRecord payment, Response response) {
    return switch (payment.draft().kind()) {
      case PaymentRecord.BUY -> settleBuy(payment, response);
      default -> settleVendor(payment, response);
    };
  }

  // ------------------------------------------------------------------ vendor purchases

  private Outcome settleVendor(PaymentRecord payment, Response response) {
    Optional<String> receiptHeader = response.header(Headers.RECEIPT);
    if (response.status() == 402 || receiptHeader.isEmpty()) {
      return refuse(payment, response);
    }
    CustomerSecret secret =
        store
            .paymentSecret(payment)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the wallet lost the secret of customer "
                            + Long.toUnsignedString(payment.draft().customerId())
                            + " at "
                            + payment.draft().vendor()));
    Receipt receipt;
    try {
      receipt = Receipt.parse(receiptHeader.get());
    } catch (MalformedException | IllegalArgumentException e) {
      throw badResponse(payment, "its receipt is malformed: " + e.getMessage(), e);
    }
    Payment sent = PaymentHeader.parse(payment.draft().authorization(), payment.descriptor());
    Optional<Scrip> change;
    Response opened = response;
    try {
      switch (sent) {
        case Payment.Signed s ->
            change =
                Payer.verifySignedReceipt(
                    secret, s.mac(), response.status(), receipt, response.body());
        case Payment.Private p -> {
          byte[] sealedChange = receipt.change();
          if (sealedChange.length == 0) {
            throw new MalformedException("private receipt without sealed change");
          }
          change = Payer.openChange(secret, p, sealedChange);
          if (response
              .header("Content-Type")
              .map(t -> t.startsWith(Headers.SEALED_MEDIA_TYPE))
              .orElse(false)) {
            byte[] body = Payer.openResponse(secret, p, response.status(), response.body());
            opened =
                response.withBody(body, response.header(Headers.SEALED_CONTENT_TYPE).orElse(null));
          }
        }
        case Payment.Clear c -> throw new IllegalStateException("the wallet never pays in clear");
      }
    } catch (ForgedException e) {
      String detail =
          payment.draft().vendor()
              + "'s reply to "
              + payment.draft().method()
              + " "
              + payment.draft().url()
              + " does not verify under the customer secret: the answer was altered on the way"
              + " or is not the vendor's; its change is not trusted";
      store.settleRefused(payment.id(), "forged-reply", detail, ScripState.SPENT, clock.instant());
      throw new WalletException(WalletException.Code.FORGED_REPLY, detail, e);
    } catch (MalformedException | IllegalArgumentException e) {
      throw badResponse(payment, "its receipt does not decode: " + e.getMessage(), e);
    }

    List<HeldScrip> inputs = store.scripOf(payment.id());
    long inputValue = inputs.stream().mapToLong(HeldScrip::valueMillicents).sum();
    List<Scrip> received = new ArrayList<>();
    change.ifPresent(received::add);
    String source = "change";
    if (payment.draft().kind().equals(PaymentRecord.EXCHANGE)) {
      received.addAll(exchangeOutputs(payment, opened));
      source = inputs.size() > 1 ? "merged" : "renewed";
    }
    long price = receipt.priceMillicents();
    String detail = checkReceived(payment, inputValue, price, received);
    store.settleAccepted(payment.id(), price, received, source, detail, clock.instant());
    return new Accepted(opened, price, received);
  }

  private List<Scrip> exchangeOutputs(PaymentRecord payment, Response opened) {
    try {
      JsonNode n = json.readTree(opened.body());
      List<Scrip> out = new ArrayList<>();
      for (JsonNode t : n.withArray("scrip")) {
        out.add(ScripCodec.fromToken(t.asText()));
      }
      return out;
    } catch (IOException | PaymentException | IllegalArgumentException e) {
      throw badResponse(payment, "its exchange answer does not list scrip: " + e.getMessage(), e);
    }
  }

  /** What is odd about what came back, or null: change must make up the value to the millicent. */
  private static @Nullable String checkReceived(
      PaymentRecord payment, long inputValue, long price, List<Scrip> received) {
    long back = 0;
    for (Scrip s : received) {
      if (!s.vendor().equals(payment.draft().vendor())
          || s.customerId() != payment.draft().customerId()) {
        throw badResponse(
            payment,
            "it returned scrip for "
                + s.vendor()
                + "/"
                + Long.toUnsignedString(s.customerId())
                + " instead of "
                + payment.draft().vendor()
                + "/"
                + Long.toUnsignedString(payment.draft().customerId()),
            null);
      }
      back += s.valueMillicents();
    }
    if (inputValue - price != back) {
      return "expected "
          + Amounts.format(inputValue - price)
          + " back for scrip worth "
          + Amounts.format(inputValue)
          + " at a price of "
          + Amounts.format(price)
          + ", received "
          + Amounts.format(back);
    }
    return null;
  }

  private Outcome refuse(PaymentRecord payment, Response response) {
    Problem p = Problem.of(response);
    ScripState fate;
    if (p.code().equals("spent")) {
      fate = ScripState.SPENT;
    } else if (SCRIP_VOID.contains(p.code())) {
      fate = ScripState.VOID;
    } else {
      fate = ScripState.AVAILABLE;
    }
    String detail =
        response.status() == 402 || response.status() >= 400
            ? p.detail()
            : "answered " + response.status() + " without a receipt: nothing was charged";
    String code = response.status() < 400 ? "not-charged" : p.code();
    store.settleRefused(payment.id(), code, detail, fate, clock.instant());
    return new Refused(response, code, detail, fate);
  }

  // ------------------------------------------------------------------ broker purchases

  private Outcome settleBuy(PaymentRecord payment, Response response) {
    if (response.status() / 100 != 2) {
      Problem p = Problem.of(response);
      store.settleRefused(
          payment.id(), p.code(), p.detail(), ScripState.AVAILABLE, clock.instant());
      return new Refused(response, p.code(), p.detail(), ScripState.AVAILABLE);
    }
    BrokerAccount account =
        store.brokers().stream()
            .filter(b -> payment.draft().url().startsWith(b.url().toString() + "/"))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no broker account matches the recorded purchase at "
                            + payment.draft().url()));
    CustomerSecret brokerSecret =
        store
            .accountSecret(account)
            .orElseThrow(
                () -> new IllegalStateException("the wallet lost its secret at " + account.url()));
    try {
      JsonNode n = json.readTree(response.body());
      Scrip scrip = ScripCodec.fromToken(text(n, "scrip"));
      long customerAtVendor = Long.parseUnsignedLong(text(n, "customer_id"));
      if (!scrip.vendor().equals(payment.draft().vendor())
          || scrip.customerId() != customerAtVendor
          || scrip.valueMillicents() != payment.draft().offeredPriceMillicents()) {
        throw new MalformedException(
            "expected "
                + Amounts.format(payment.draft().offeredPriceMillicents())
                + " of \""
                + payment.draft().vendor()
                + "\" scrip for customer "
                + Long.toUnsignedString(customerAtVendor)
                + ", found "
                + Amounts.format(scrip.valueMillicents())
                + " of \""
                + scrip.vendor()
                + "\" for "
                + Long.toUnsignedString(scrip.customerId()));
      }
      CustomerSecret vendorSecret =
          Payer.openSecret(
              brokerSecret,
              scrip.vendor(),
              customerAtVendor,
              Base64Url.decode(text(n, "sealed_customer_secret")));
      String supply = n.path("supply").asText("");
      store.settleBuy(
          payment.id(),
          scrip,
          vendorSecret,
          account.url().toString(),
          supply.isEmpty() ? null : "supply: " + supply,
          clock.instant());
      return new Accepted(response, scrip.valueMillicents(), List.of(scrip));
    } catch (ForgedException e) {
      throw badResponse(payment, "the sealed customer secret does not open", e);
    } catch (IOException | PaymentException | IllegalArgumentException e) {
      throw badResponse(payment, Causes.describe(e), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new MalformedException("the answer lacks the text field " + field);
    }
    return v.asText();
  }

  private static WalletException badResponse(
      PaymentRecord p, String what, @Nullable Throwable cause) {
    return new WalletException(
        WalletException.Code.BAD_RESPONSE,
        "the answer to "
            + p.draft().method()
            + " "
            + p.draft().url()
            + " is not as docs/HTTP-API.md says: "
            + what
            + "; the payment stays recorded",
        cause);
  }
}
