@NullMarked
package org.millicent.money;

import org.jspecify.annotations.NullMarked;
