@NullMarked
package org.millicent.purchase;

import org.jspecify.annotations.NullMarked;
