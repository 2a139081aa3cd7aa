@NullMarked
package org.millicent.broker.accounts;

import org.jspecify.annotations.NullMarked;
