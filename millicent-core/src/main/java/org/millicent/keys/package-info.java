@NullMarked
package org.millicent.keys;

import org.jspecify.annotations.NullMarked;
