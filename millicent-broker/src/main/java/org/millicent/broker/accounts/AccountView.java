package org.millicent.broker.accounts;

/**
 * An account as its owner sees it.
 *
 * @param customerId the customer ID
 * @param name the name given at registration
 * @param provider the payment provider
 * @param balanceMillicents money paid in and not yet spent (positive) or owed (negative)
 * @param creditLimitMillicents how much the account may owe
 * @param availableMillicents what can still be charged: credit limit + balance
 * @param period the current statement period
 * @param chargesThisPeriodMillicents what was charged to the account in the current period
 */
public record AccountView(
    long customerId,
    String name,
    String provider,
    long balanceMillicents,
    long creditLimitMillicents,
    long availableMillicents,
    String period,
    long chargesThisPeriodMillicents) {}
