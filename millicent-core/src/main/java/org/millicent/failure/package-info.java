@NullMarked
package org.millicent.failure;

import org.jspecify.annotations.NullMarked;
