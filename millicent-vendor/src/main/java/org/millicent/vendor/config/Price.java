package org.millicent.vendor.config;

/**
 * The price of requests whose method and path match: the first matching entry of the catalogue
 * wins. In {@code path}, {@code *} matches any characters except {@code /} and {@code **} any
 * characters at all; {@code method} is an HTTP method or {@code *} for any.
 *
 * @param method upper-case HTTP method or {@code *}
 * @param path a path pattern starting with {@code /}
 * @param priceMillicents the base price (0 for free)
 */
public record Price(String method, String path, long priceMillicents) {}
