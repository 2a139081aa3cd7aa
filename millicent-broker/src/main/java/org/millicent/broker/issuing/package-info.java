@NullMarked
package org.millicent.broker.issuing;

import org.jspecify.annotations.NullMarked;
