/**
 * The Millicent vendor in a Spring Boot application (docs/SPRING-BOOT.md): {@link
 * org.millicent.spring.MillicentAutoConfiguration} opens the vendor runtime from {@code
 * millicent.vendor.*} properties and sells the application's {@link org.millicent.spring.Priced}
 * handlers and priced paths through the servlet filter of {@code millicent-servlet}.
 */
@NullMarked
package org.millicent.spring;

import org.jspecify.annotations.NullMarked;
