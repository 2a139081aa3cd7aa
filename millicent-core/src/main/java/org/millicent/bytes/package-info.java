/**
 * Byte-level helpers every module shares: the strict base64url codec of protocol values ({@link
 * org.millicent.bytes.Base64Url}) and the one constant-time comparison ({@link
 * org.millicent.bytes.ConstantTime}).
 */
@NullMarked
package org.millicent.bytes;

import org.jspecify.annotations.NullMarked;
