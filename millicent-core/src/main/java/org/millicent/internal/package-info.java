@NullMarked
package org.millicent.internal;

import org.jspecify.annotations.NullMarked;
