@NullMarked
package org.millicent.broker.store;

import org.jspecify.annotations.NullMarked;
