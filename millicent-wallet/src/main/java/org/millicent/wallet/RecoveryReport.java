package org.millicent.wallet;

import java.util.List;

/**
 * What a recovery did.
 *
 * @param settled payments that got their answer and were settled
 * @param stillInFlight payments that still got no answer (tried again next time)
 * @param lines one sentence per payment
 */
public record RecoveryReport(int settled, int stillInFlight, List<String> lines) {}
