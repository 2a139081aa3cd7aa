@NullMarked
package org.millicent.testing;

import org.jspecify.annotations.NullMarked;
