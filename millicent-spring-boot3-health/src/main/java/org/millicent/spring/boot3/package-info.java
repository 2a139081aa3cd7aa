/**
 * The parts of the Spring Boot starter that compile against Spring Boot 3 only: {@code
 * millicent-spring-boot-starter}'s auto-configuration uses them when it finds Boot 3's Actuator
 * (docs/SPRING-BOOT.md). An application never names this package.
 */
@NullMarked
package org.millicent.spring.boot3;

import org.jspecify.annotations.NullMarked;
