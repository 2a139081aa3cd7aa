@NullMarked
package org.millicent.cli.vendor;

import org.jspecify.annotations.NullMarked;
