@NullMarked
package org.millicent.vendor.content;

import org.jspecify.annotations.NullMarked;
