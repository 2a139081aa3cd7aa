@NullMarked
package org.millicent.storage;

import org.jspecify.annotations.NullMarked;
