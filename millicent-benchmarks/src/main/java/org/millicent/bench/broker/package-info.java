@NullMarked
package org.millicent.bench.broker;

import org.jspecify.annotations.NullMarked;
