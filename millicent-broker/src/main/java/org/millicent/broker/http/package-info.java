@NullMarked
package org.millicent.broker.http;

import org.jspecify.annotations.NullMarked;
