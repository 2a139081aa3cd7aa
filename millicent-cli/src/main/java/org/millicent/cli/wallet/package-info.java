@NullMarked
package org.millicent.cli.wallet;

import org.jspecify.annotations.NullMarked;
