@NullMarked
package org.millicent.broker.books;

import org.jspecify.annotations.NullMarked;
