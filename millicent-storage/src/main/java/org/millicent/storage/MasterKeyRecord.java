package org.millicent.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.KeyState;

/**
 * What is known of one stored master secret besides its secret ({@link
 * KeyVectorStore#describeMasterSecrets}): its state and the dates of its life. A date is null when
 * it has not happened yet, or when the key was stored before its dates were kept. Immutable.
 *
 * @param keyId the key id
 * @param state its state
 * @param createdAt when it was stored
 * @param demotedAt when it stopped being primary
 * @param expiresBy when all scrip minted under it has expired (set at its demotion)
 * @param retiredAt when it was retired
 */
public record MasterKeyRecord(
    int keyId,
    KeyState state,
    @Nullable Instant createdAt,
    @Nullable Instant demotedAt,
    @Nullable Instant expiresBy,
    @Nullable Instant retiredAt) {

  /** Every master secret of the table {@code masters}, by key id, as {@code h} sees them. */
  static List<MasterKeyRecord> list(Handle h, String masters) {
    return h.createQuery(
            "SELECT key_id, state, created_at, demoted_at, expires_by, retired_at"
                + " FROM "
                + masters
                + " ORDER BY key_id")
        .map(
            (rs, ctx) ->
                new MasterKeyRecord(
                    rs.getInt(1),
                    KeyState.valueOf(rs.getString(2)),
                    instant(rs, 3),
                    instant(rs, 4),
                    instant(rs, 5),
                    instant(rs, 6)))
        .list();
  }

  private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochSecond(v);
  }
}
