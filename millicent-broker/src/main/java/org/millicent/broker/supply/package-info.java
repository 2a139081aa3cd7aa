@NullMarked
package org.millicent.broker.supply;

import org.jspecify.annotations.NullMarked;
