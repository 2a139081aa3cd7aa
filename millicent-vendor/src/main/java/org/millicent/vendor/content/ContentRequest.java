package org.millicent.vendor.content;

import java.util.List;
import java.util.Map;

/**
 * A request for content, as the gateway passes it on once it is free or paid for.
 *
 * @param method the HTTP method
 * @param target the request target exactly as sent (raw path and query)
 * @param path the raw path, without the query
 * @param headers the request headers worth forwarding (the payment is already removed)
 * @param body the request body (opened, in the private variant)
 * @param clientAddress the client's IP address (given to an origin; null for local content)
 */
public record ContentRequest(
    String method,
    String target,
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    String clientAddress) {}
