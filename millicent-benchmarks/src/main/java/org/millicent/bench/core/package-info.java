@NullMarked
package org.millicent.bench.core;

import org.jspecify.annotations.NullMarked;
