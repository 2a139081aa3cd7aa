@NullMarked
package org.millicent.wallet.proxy;

import org.jspecify.annotations.NullMarked;
