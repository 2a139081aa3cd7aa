@NullMarked
package org.millicent.wallet;

import org.jspecify.annotations.NullMarked;
