@NullMarked
package org.millicent.vendor;

import org.jspecify.annotations.NullMarked;
