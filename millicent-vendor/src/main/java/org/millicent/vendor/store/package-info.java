@NullMarked
package org.millicent.vendor.store;

import org.jspecify.annotations.NullMarked;
