package org.millicent.vendor.store;

import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.millicent.storage.Database;

/**
 * The vendor's activity per hour ({@code vendor_activity}), behind the operator's dashboard
 * (docs/HTTP-API.md, "Dashboards"): payments, refusals, resources and free requests counted in
 * memory on the payment path and added here in batches, so the history survives restarts.
 * Thread-safe.
 */
public final class ActivityStore {
  /**
   * The counts of one (hour, kind, name): {@code epochHour} is seconds since the epoch / 3600.
   * Kinds are those of {@code V6__activity.sql}.
   */
  public record Row(long epochHour, String kind, String name, long count, long millicents) {}

  /** What one name earned over a span of hours. */
  public record Total(String name, long count, long millicents) {}

  private final Database db;

  /** A store over {@code db}, whose vendor migrations have run. */
  ActivityStore(Database db) {
    this.db = db;
  }

  /**
   * Adds {@code rows} to the stored counts in one transaction (each row's counts to those of its
   * hour, kind and name): all of them or, on a failure, none.
   *
   * @throws org.millicent.storage.StorageException when the database fails
   */
  public void add(List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    db.inTransaction(
        h -> {
          PreparedBatch b =
              h.prepareBatch(
                  "INSERT INTO vendor_activity (epoch_hour, kind, name, count, millicents)"
                      + " VALUES (:h, :k, :n, :c, :m) ON CONFLICT (epoch_hour, kind, name)"
                      + " DO UPDATE SET count = vendor_activity.count + excluded.count,"
                      + " millicents = vendor_activity.millicents + excluded.millicents");
          for (Row r : rows) {
            b.bind("h", r.epochHour())
                .bind("k", r.kind())
                .bind("n", r.name())
                .bind("c", r.count())
                .bind("m", r.millicents())
                .add();
          }
          b.execute();
          return null;
        });
  }

  /**
   * The rows of every kind but {@code resource} in hours [{@code fromHour}, {@code toHour}), by
   * hour.
   */
  public List<Row> hours(long fromHour, long toHour) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT epoch_hour, kind, name, count, millicents FROM vendor_activity"
                        + " WHERE epoch_hour >= :from AND epoch_hour < :to AND kind <> 'resource'"
                        + " ORDER BY epoch_hour, kind, name")
                .bind("from", fromHour)
                .bind("to", toHour)
                .map(
                    (rs, ctx) ->
                        new Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5)))
                .list());
  }

  /**
   * The {@code limit} names of {@code kind} that earned most in hours [{@code fromHour}, {@code
   * toHour}), then by count and name.
   */
  public List<Total> top(String kind, long fromHour, long toHour, int limit) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT name, SUM(count), SUM(millicents) FROM vendor_activity"
                        + " WHERE kind = :k AND epoch_hour >= :from AND epoch_hour < :to"
                        + " GROUP BY name ORDER BY 3 DESC, 2 DESC, 1 LIMIT :limit")
                .bind("k", kind)
                .bind("from", fromHour)
                .bind("to", toHour)
                .bind("limit", limit)
                .map((rs, ctx) -> new Total(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                .list());
  }
}
