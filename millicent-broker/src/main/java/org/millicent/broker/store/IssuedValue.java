package org.millicent.broker.store;

import org.millicent.scrip.ScripId;

/** A piece of issued scrip by id, with its value in millicents. */
public record IssuedValue(ScripId id, long valueMillicents) {}
