@NullMarked
package org.millicent.wallet.http;

import org.jspecify.annotations.NullMarked;
