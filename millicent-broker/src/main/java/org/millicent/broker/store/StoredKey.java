package org.millicent.broker.store;

import org.millicent.keys.SecretBytes;

/**
 * One row of {@code broker_keys}: a key vector entry of the broker's own ({@code kind} {@code
 * scrip} or {@code customer}), its key id or selector, its state name, and its secret (never
 * printed).
 */
public record StoredKey(String kind, int keyId, String state, SecretBytes secret) {}
