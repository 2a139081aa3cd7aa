@NullMarked
package org.millicent.bench.storage;

import org.jspecify.annotations.NullMarked;
