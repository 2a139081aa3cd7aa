@NullMarked
package org.millicent.http;

import org.jspecify.annotations.NullMarked;
