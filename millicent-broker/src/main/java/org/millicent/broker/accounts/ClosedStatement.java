package org.millicent.broker.accounts;

/**
 * A closed statement.
 *
 * @param customerId the customer
 * @param period the period's label
 * @param chargedMillicents what was charged in the period
 * @param collectedMillicents what the provider collected for it
 */
public record ClosedStatement(
    long customerId, String period, long chargedMillicents, long collectedMillicents) {}
