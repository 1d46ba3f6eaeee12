package org.sparkserving.http;

import java.util.Map;

/**
 * One admitted HTTP request, copied out of Netty's buffers so that it outlives the connection's
 * event loop and can be read by any thread.
 *
 * @param method the request method, upper case as sent
 * @param path the decoded path, without the query string
 * @param query the raw query string without '?', or null when there is none
 * @param headers header names in lower case; repeated headers joined with ", "
 * @param body the body bytes, empty when there is none
 */
public record ServingRequest(
    String method, String path, String query, Map<String, String> headers, byte[] body) {}
