@NullMarked
package org.millicent.bench;

import org.jspecify.annotations.NullMarked;
