@NullMarked
package org.millicent.vendor.config;

import org.jspecify.annotations.NullMarked;
