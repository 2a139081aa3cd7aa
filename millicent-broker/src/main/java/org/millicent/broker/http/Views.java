package org.millicent.broker.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.broker.SettlementResult;
import org.millicent.broker.VendorScripSale;
import org.millicent.broker.VendorStatement;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Statement;
import org.millicent.bytes.Base64Url;
import org.millicent.http.ProblemDocument;

/**
 * The JSON the broker answers with (docs/HTTP-API.md, "Broker"): an account, a statement, a sale, a
 * settlement, each with its fields in their documented order. Stateless.
 */
final class Views {
  private Views() {}

  /** Answers {@code ctx} with {@code body} as JSON. */
  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(ProblemDocument.json(body));
  }

  static Map<String, Object> account(AccountView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customer_id", Long.toUnsignedString(v.customerId()));
    m.put("name", v.name());
    m.put("provider", v.provider());
    m.put("balance_millicents", v.balanceMillicents());
    m.put("credit_limit_millicents", v.creditLimitMillicents());
    m.put("available_millicents", v.availableMillicents());
    m.put("period", v.period());
    m.put("charges_this_period_millicents", v.chargesThisPeriodMillicents());
    return m;
  }

  static Map<String, Object> sale(VendorScripSale s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", s.vendor());
    m.put("scrip", s.scrip().token());
    m.put("customer_id", Long.toUnsignedString(s.customerIdAtVendor()));
    m.put("sealed_customer_secret", Base64Url.encode(s.sealedCustomerSecret()));
    m.put("supply", s.supply() == null ? "broker" : s.supply().wireName());
    m.put("value_millicents", s.scrip().valueMillicents());
    m.put("expires_at", s.scrip().expiresAt().toString());
    return m;
  }

  static Map<String, Object> statement(Statement s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customer_id", Long.toUnsignedString(s.customerId()));
    m.put("period", s.period());
    m.put("from", Instant.ofEpochMilli(s.fromMillis()).toString());
    m.put("to", Instant.ofEpochMilli(s.toMillis()).toString());
    List<Map<String, Object>> charges = new ArrayList<>();
    for (Statement.VendorCharges c : s.charges()) {
      charges.add(
          Map.of(
              "vendor",
              c.vendor(),
              "pieces",
              c.pieces(),
              "amount_millicents",
              c.amountMillicents()));
    }
    m.put("charges", charges);
    m.put("total_charged_millicents", s.totalChargedMillicents());
    m.put("expired_unspent_millicents", s.expiredMillicents());
    m.put("payments_millicents", s.paymentsMillicents());
    m.put("closed", s.closed());
    m.put("collected_millicents", s.collectedMillicents());
    return m;
  }

  static Map<String, Object> vendorStatement(VendorStatement s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", s.vendor());
    m.put("period", s.period());
    m.put("sold_pieces", s.soldPieces());
    m.put("sold_millicents", s.soldMillicents());
    m.put("settled_pieces", s.settledPieces());
    m.put("settled_value_millicents", s.settledValueMillicents());
    m.put("settled_paid_millicents", s.settledPaidMillicents());
    m.put("payable_millicents", s.payableMillicents());
    m.put("outstanding_millicents", s.outstandingMillicents());
    return m;
  }

  static Map<String, Object> settlement(SettlementResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", r.vendor());
    m.put("paid_millicents", r.paidMillicents());
    m.put("accepted", r.accepted().stream().map(Long::toUnsignedString).toList());
    List<Map<String, Object>> rejected = new ArrayList<>();
    for (SettlementResult.Rejection x : r.rejected()) {
      rejected.add(
          Map.of("scrip_id", Long.toUnsignedString(x.scripId()), "code", x.reason().code()));
    }
    m.put("rejected", rejected);
    return m;
  }
}
