/**
 * The operator's dashboard (docs/BROKER.md, "Dashboard"): its figures read from the durable books
 * for the admin page. Not exported: only the broker's HTTP routes show it.
 */
@NullMarked
package org.millicent.broker.dashboard;

import org.jspecify.annotations.NullMarked;
