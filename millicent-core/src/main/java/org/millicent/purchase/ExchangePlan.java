package org.millicent.purchase;

import java.time.Instant;
import java.util.List;
import org.millicent.failure.MalformedException;
import org.millicent.money.Amounts;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * What an exchange may make of its inputs (docs/HTTP-API.md, "POST /millicent/exchange"): the
 * values of its outputs for an {@link ExchangeService.Operation}, checked to conserve value and to
 * fit one piece each, and the spend mode and properties the inputs must share. Every rule throws
 * {@link MalformedException} before anything is claimed, so a refused exchange consumes nothing.
 * Stateless.
 */
final class ExchangePlan {
  private ExchangePlan() {}

  /** The values of the outputs, after checking that the operation fits the inputs. */
  static List<Long> outputValues(List<Scrip> inputs, ExchangeService.Operation operation) {
    return switch (operation) {
      case ExchangeService.Renew r -> {
        requireCount(inputs, 1, "renew");
        yield List.of(inputs.getFirst().valueMillicents());
      }
      case ExchangeService.Split s -> {
        requireCount(inputs, 1, "split");
        List<Long> amounts = s.amountsMillicents();
        if (amounts.isEmpty() || amounts.size() > ExchangeService.MAX_PIECES) {
          throw new MalformedException(
              "split takes 1.." + ExchangeService.MAX_PIECES + " amounts, found " + amounts.size());
        }
        long sum = 0;
        for (long a : amounts) {
          if (a <= 0 || a > ScripBody.MAX_VALUE_MILLICENTS) {
            throw new MalformedException(
                "split amounts must be 1.." + ScripBody.MAX_VALUE_MILLICENTS + ", found " + a);
          }
          sum += a;
        }
        long value = inputs.getFirst().valueMillicents();
        if (sum != value) {
          throw new MalformedException(
              "split amounts sum to "
                  + Amounts.format(sum)
                  + ", the scrip holds "
                  + Amounts.format(value));
        }
        yield amounts;
      }
      case ExchangeService.Merge m -> {
        if (inputs.size() < 2) {
          throw new MalformedException("merge takes two or more pieces, found " + inputs.size());
        }
        yield List.of(total(inputs));
      }
    };
  }

  /** The inputs' total value, which must fit one piece of scrip. */
  static long total(List<Scrip> inputs) {
    long sum = 0;
    for (Scrip s : inputs) {
      sum += s.valueMillicents();
    }
    if (sum > ScripBody.MAX_VALUE_MILLICENTS) {
      throw new MalformedException(
          "the pieces sum to "
              + Amounts.format(sum)
              + ", more than one piece of scrip may hold ("
              + Amounts.format(ScripBody.MAX_VALUE_MILLICENTS)
              + ")");
    }
    return sum;
  }

  private static void requireCount(List<Scrip> inputs, int n, String op) {
    if (inputs.size() != n) {
      throw new MalformedException(op + " takes exactly " + n + " piece, found " + inputs.size());
    }
  }

  /** The outputs of a customer's exchange keep the inputs' spend mode, which must be one. */
  static SpendMode commonSpend(List<Scrip> inputs) {
    SpendMode m = inputs.getFirst().spend();
    for (Scrip s : inputs) {
      if (s.spend() != m) {
        throw new MalformedException(
            "scrip "
                + s.id()
                + " is "
                + s.spend().wireName()
                + ", "
                + inputs.getFirst().id()
                + " is "
                + m.wireName()
                + ": exchange them separately");
      }
    }
    return m;
  }

  /** The properties every input carries: an exchange never mixes scrip of other properties. */
  static ScripProperties commonProperties(List<Scrip> inputs) {
    ScripProperties p = inputs.getFirst().properties();
    for (Scrip s : inputs) {
      if (!s.properties().equals(p)) {
        throw new MalformedException(
            "scrip " + s.id() + " carries other properties than " + inputs.getFirst().id());
      }
    }
    return p;
  }

  /** When the last input expires: how long the exchange's outputs must stay on record. */
  static Instant latestExpiry(List<Scrip> inputs) {
    Instant latest = inputs.getFirst().expiresAt();
    for (Scrip s : inputs) {
      if (s.expiresAt().isAfter(latest)) {
        latest = s.expiresAt();
      }
    }
    return latest;
  }
}
