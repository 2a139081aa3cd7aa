@NullMarked
package org.millicent.cli.broker;

import org.jspecify.annotations.NullMarked;
