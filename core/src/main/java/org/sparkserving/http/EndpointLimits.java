package org.sparkserving.http;

/**
 * The per-service limits the server enforces before any Spark code runs.
 *
 * @param maxPendingRequests clients that may wait at once; one more gets 503
 * @param maxRequestBytes largest accepted body; a larger one gets 413
 * @param replyTimeoutMs how long a client waits for the query's reply before 504
 */
public record EndpointLimits(int maxPendingRequests, long maxRequestBytes, long replyTimeoutMs) {}
