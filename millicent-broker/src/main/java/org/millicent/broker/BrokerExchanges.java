package org.millicent.broker;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.Customer;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.broker.books.LedgerAccount;
import org.millicent.broker.issuing.BrokerSpendRecorder;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.protocol.Payment;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;

/**
 * Exchanges of broker scrip at the broker (docs/BROKER.md, "Renewing broker scrip"): the broker is
 * a vendor, so its customers renew, split and merge their broker scrip with the core {@link
 * ExchangeService}, as at any vendor's {@code POST /millicent/exchange}. The exchange's record is
 * one entry in the books, written before the inputs' spends are confirmed: the inputs become spent
 * (price 0, the request's fingerprint kept), the outputs are issued to the same customer (kind
 * {@code exchange}, keyed by the fingerprint), and {@code outstanding:<broker>} is debited by the
 * inputs and credited by the outputs, which are worth the same. An identical retry finds the
 * outputs by the fingerprint and gets them again.
 *
 * <p>Thread-safe.
 */
final class BrokerExchanges {
  /** The kind of {@code issued_scrip} rows an exchange issues. */
  static final String KIND = "exchange";

  private final String brokerId;
  private final Books books;
  private final Accounts accounts;
  private final PurchaseService purchases;
  private final BrokerSpendRecorder spends;
  private final BrokerConfig config;
  private final InstantSource clock;

  BrokerExchanges(
      BrokerConfig config,
      Books books,
      Accounts accounts,
      PurchaseService purchases,
      BrokerSpendRecorder spends,
      InstantSource clock) {
    this.brokerId = config.brokerId();
    this.config = config;
    this.books = books;
    this.accounts = accounts;
    this.purchases = purchases;
    this.spends = spends;
    this.clock = clock;
  }

  /** See {@link Broker#exchange}. */
  Exchange exchange(Payment payment, List<byte[]> inputs, ExchangeService.Operation operation) {
    List<Scrip> scrip = inputs.stream().map(ScripCodec::decode).toList();
    ExchangeService service =
        new ExchangeService(purchases, new Recorder(scrip), config.scripLifetime());
    return service.exchange(payment, inputs, operation);
  }

  /**
   * The record of one exchange request: its inputs are known here, since the core recorder is told
   * only the outputs. The core service has checked and claimed the inputs before it records.
   */
  private final class Recorder implements ExchangeRecorder {
    private final List<Scrip> inputs;

    Recorder(List<Scrip> inputs) {
      this.inputs = inputs;
    }

    @Override
    public Optional<List<Scrip>> find(byte[] fingerprint) {
      List<Scrip> out =
          new IssuedScripStore(books.database())
              .tokensByRequest(brokerId, KIND, inputs.getFirst().customerId(), fingerprint).stream()
                  .map(ScripCodec::decode)
                  .toList();
      return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    @Override
    public void record(byte[] fingerprint, Instant forgetAfter, List<Scrip> outputs) {
      Customer c = accounts.customer(inputs.getFirst().customerId());
      long now = clock.millis();
      long in = inputs.stream().mapToLong(Scrip::valueMillicents).sum();
      long out = outputs.stream().mapToLong(Scrip::valueMillicents).sum();
      books.await(
          books.decide(
              () -> {
                LedgerAccount outstanding = Issuance.outstanding(books, brokerId);
                Entry e = new Entry("exchange").post(outstanding, in).post(outstanding, -out);
                for (Scrip s : outputs) {
                  e.issue(
                      Issuance.row(
                          s,
                          KIND,
                          "broker",
                          c.id(),
                          now,
                          fingerprint,
                          inputs.getFirst().id().toLong(),
                          IssuedScrip.OUTSTANDING,
                          null));
                }
                e.write(
                    (h, entryId) -> {
                      List<ScripId> ids = inputs.stream().map(Scrip::id).toList();
                      for (int n :
                          IssuedScripStore.markSpent(
                              h, brokerId, ids, now, entryId, fingerprint, 0)) {
                        if (n != 1) {
                          throw new IllegalStateException(
                              "broker scrip exchanged by customer "
                                  + c.idText()
                                  + " is not outstanding in the books");
                        }
                      }
                    });
                return books.submit(e);
              }));
      for (Scrip s : inputs) {
        spends.markDurable(s.id());
      }
    }

    @Override
    public int dropExpiredBefore(Instant horizon) {
      return 0;
    }
  }
}
