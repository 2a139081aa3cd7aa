@NullMarked
package org.millicent.broker;

import org.jspecify.annotations.NullMarked;
