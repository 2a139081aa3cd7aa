@NullMarked
package org.millicent.cli.scrip;

import org.jspecify.annotations.NullMarked;
