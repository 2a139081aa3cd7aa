package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millicent.failure.MalformedException;
import org.millicent.failure.SpentException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;

class ExchangeServiceTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final long ALICE = 1L << 56 | 7;
  private static final long BOB = 1L << 56 | 8;

  private final SecureRandom random = new SecureRandom();
  private final MasterSecrets masters = MasterSecrets.generate(0, random);
  private final CustomerSecrets customers = CustomerSecrets.generate(1, random);
  private final InMemorySpendRecorder spends = new InMemorySpendRecorder();
  private final PurchaseService purchases =
      new PurchaseService(
          "venetia",
          masters,
          customers,
          spends,
          new InMemorySerialAllocator(),
          InstantSource.fixed(NOW),
          Duration.ofDays(1),
          EnumSet.allOf(Variant.class));
  private final ExchangeService service =
      new ExchangeService(purchases, new InMemoryExchangeRecorder(), Duration.ofDays(7));

  private Scrip scrip(long value, long customer) {
    return purchases.minter().mint(value, customer, NOW.plusSeconds(60), ScripProperties.NONE);
  }

  private Payment signedFor(List<Scrip> inputs, long customer) {
    CustomerSecret secret = customers.derive("venetia", customer);
    byte[] body = String.valueOf(inputs).getBytes(StandardCharsets.UTF_8);
    return Payer.signed(
        inputs.getFirst(),
        secret,
        Nonce.random(random),
        RequestDescriptor.of(TestVendor.ORIGIN, "POST", "/millicent/exchange", body));
  }

  private static List<byte[]> encoded(List<Scrip> scrip) {
    List<byte[]> out = new ArrayList<>();
    scrip.forEach(s -> out.add(ScripCodec.encode(s)));
    return out;
  }

  @Test
  void renew_oneUnexpiredPiece_issuesSameValueWithNewExpiryAndSpendsTheOld() {
    Scrip old = scrip(500, ALICE);
    Exchange e =
        service.exchange(
            signedFor(List.of(old), ALICE), encoded(List.of(old)), new ExchangeService.Renew());
    assertThat(e.outputs())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.valueMillicents()).isEqualTo(500);
              assertThat(s.customerId()).isEqualTo(ALICE);
              assertThat(s.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
            });
    assertThat(spends.spentSet().contains(old.id())).isTrue();
  }

  @Test
  void split_amountsSummingToValue_issuesOnePiecePerAmount() {
    Scrip old = scrip(1000, ALICE);
    Exchange e =
        service.exchange(
            signedFor(List.of(old), ALICE),
            encoded(List.of(old)),
            new ExchangeService.Split(List.of(300L, 700L)));
    assertThat(e.outputs()).extracting(Scrip::valueMillicents).containsExactly(300L, 700L);
  }

  @Test
  void split_amountsNotSummingToValue_isMalformedAndConsumesNothing() {
    Scrip old = scrip(1000, ALICE);
    assertThatThrownBy(
            () ->
                service.exchange(
                    signedFor(List.of(old), ALICE),
                    encoded(List.of(old)),
                    new ExchangeService.Split(List.of(300L, 600L))))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("sum to 0.9¢ (900 m¢)");
    assertThat(spends.spentSet().contains(old.id())).isFalse();
  }

  @Test
  void merge_severalPieces_issuesOneWithTheSum() {
    List<Scrip> in = List.of(scrip(100, ALICE), scrip(250, ALICE), scrip(50, ALICE));
    Exchange e = service.exchange(signedFor(in, ALICE), encoded(in), new ExchangeService.Merge());
    assertThat(e.outputs()).extracting(Scrip::valueMillicents).containsExactly(400L);
    in.forEach(s -> assertThat(spends.spentSet().contains(s.id())).isTrue());
  }

  @Test
  void merge_withSpentSecondPiece_isSpentAndLeavesTheFirstUnspent() {
    Scrip first = scrip(100, ALICE);
    Scrip spent = scrip(200, ALICE);
    service.exchange(
        signedFor(List.of(spent), ALICE), encoded(List.of(spent)), new ExchangeService.Renew());
    List<Scrip> in = List.of(first, spent);
    assertThatThrownBy(
            () -> service.exchange(signedFor(in, ALICE), encoded(in), new ExchangeService.Merge()))
        .isInstanceOf(SpentException.class);
    assertThat(spends.spentSet().contains(first.id())).isFalse();
  }

  @Test
  void merge_withAnotherCustomersPiece_isWrongCustomer() {
    List<Scrip> in = List.of(scrip(100, ALICE), scrip(100, BOB));
    assertThatThrownBy(
            () -> service.exchange(signedFor(in, ALICE), encoded(in), new ExchangeService.Merge()))
        .isInstanceOf(WrongCustomerException.class);
  }

  @Test
  void merge_samePieceTwice_isMalformed() {
    Scrip s = scrip(100, ALICE);
    List<Scrip> in = List.of(s, s);
    assertThatThrownBy(
            () -> service.exchange(signedFor(in, ALICE), encoded(in), new ExchangeService.Merge()))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void exchange_firstInputNotThePayingScrip_isMalformed() {
    Scrip paying = scrip(100, ALICE);
    Scrip other = scrip(100, ALICE);
    assertThatThrownBy(
            () ->
                service.exchange(
                    signedFor(List.of(paying), ALICE),
                    encoded(List.of(other)),
                    new ExchangeService.Renew()))
        .isInstanceOf(MalformedException.class);
  }

  @Test
  void exchange_clearVariant_isRefusedAsMalformed() {
    Scrip s = scrip(100, ALICE);
    Payment clear =
        Payer.clear(
            s,
            Nonce.random(random),
            RequestDescriptor.of(TestVendor.ORIGIN, "POST", "/x", new byte[0]));
    assertThatThrownBy(
            () -> service.exchange(clear, encoded(List.of(s)), new ExchangeService.Renew()))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("signed or private");
  }

  @Test
  void reassign_brokersPieces_becomeOnePieceForTheCustomer() {
    List<Scrip> in = List.of(scrip(1000, BOB), scrip(1000, BOB));
    Exchange e = service.reassign(encoded(in), BOB, ALICE, new byte[16]);
    assertThat(e.outputs())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.valueMillicents()).isEqualTo(2000);
              assertThat(s.customerId()).isEqualTo(ALICE);
            });
    assertThatThrownBy(() -> e.replyMac(200, new byte[32]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reassign_pieceOfAnotherCustomer_isWrongCustomerAndConsumesNothing() {
    Scrip brokers = scrip(1000, BOB);
    Scrip alices = scrip(1000, ALICE);
    assertThatThrownBy(
            () -> service.reassign(encoded(List.of(brokers, alices)), BOB, ALICE, new byte[16]))
        .isInstanceOf(WrongCustomerException.class);
    assertThat(spends.spentSet().contains(brokers.id())).isFalse();
  }
}
