/**
 * The Millicent vendor as a Jakarta Servlet 6 filter (docs/SERVLET.md): {@link
 * org.millicent.servlet.MillicentFilter} sells the priced paths of a web application, {@link
 * org.millicent.servlet.MillicentEndpoints} serves the protocol endpoints a wallet and a broker
 * need.
 */
@NullMarked
package org.millicent.servlet;

import org.jspecify.annotations.NullMarked;
