@NullMarked
package org.millicent.protocol;

import org.jspecify.annotations.NullMarked;
