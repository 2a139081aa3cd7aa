package org.millicent.wallet;

import java.util.List;

/**
 * What a renewal run did.
 *
 * @param recovery what the recovery before it did
 * @param renewed the pieces renewed
 * @param problems one sentence per piece that could not be renewed
 * @param expired how many pieces had expired already (now void)
 */
public record RenewalReport(
    RecoveryReport recovery, List<Renewal> renewed, List<String> problems, int expired) {}
