@NullMarked
package org.millicent.cli;

import org.jspecify.annotations.NullMarked;
