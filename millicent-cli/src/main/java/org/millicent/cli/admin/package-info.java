/**
 * What the CLI's admin commands share, for the broker's and the vendor's admin endpoints alike:
 * reading the admin token, the HTTP call and its failures, and mapping a failure to an exit code.
 */
@NullMarked
package org.millicent.cli.admin;

import org.jspecify.annotations.NullMarked;
