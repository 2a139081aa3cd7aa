@NullMarked
package org.millicent.scrip;

import org.jspecify.annotations.NullMarked;
