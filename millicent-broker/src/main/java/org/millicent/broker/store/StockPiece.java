package org.millicent.broker.store;

/** One piece of a warehouse vendor's scrip in the broker's stock. */
public record StockPiece(long scripId, String token, long valueMillicents, long expiresAtMillis) {}
