@NullMarked
package org.millicent.cli.demo;

import org.jspecify.annotations.NullMarked;
