package org.millicent.vendor.store;

import org.millicent.contracts.DurableExchangeRecorderContract;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.storage.Database;

/** The public durable exchange contract against the gateway's {@code gateway_exchanges}. */
abstract class VendorExchangeRecorderContract
    extends DurableExchangeRecorderContract<ExchangeRecorder> {
  Database db;

  abstract Database newDatabase();

  @Override
  protected final ExchangeRecorder open() {
    if (db == null) {
      db = newDatabase();
    }
    return new GatewayStore(db).exchanges();
  }

  @Override
  protected final void closeStore() {
    db.close();
  }
}
