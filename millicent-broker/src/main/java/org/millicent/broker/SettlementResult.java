package org.millicent.broker;

import java.util.List;

/**
 * What a settlement paid (docs/HTTP-API.md, {@code POST /broker/settlements}).
 *
 * @param vendor the vendor settled with
 * @param paidMillicents credited to the vendor's account: the accepted scrip's value x (1 -
 *     discount), rounded down per piece
 * @param accepted the scrip IDs settled now (packed 64-bit form)
 * @param rejected the scrip IDs not paid, each with its reason
 */
public record SettlementResult(
    String vendor, long paidMillicents, List<Long> accepted, List<Rejection> rejected) {

  /**
   * A scrip ID not paid.
   *
   * @param scripId the packed scrip ID
   * @param reason {@link BrokerError#NOT_ISSUED} or {@link BrokerError#ALREADY_SETTLED}
   */
  public record Rejection(long scripId, BrokerError reason) {}

  /** Copies the lists. */
  public SettlementResult {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
  }
}
