package org.sparkserving.http;

/**
 * The per-service limits the server enforces before any Spark code runs.
 *
 * @param maxPendingRequests clients that may wait at once; one more gets 503
 * @param maxRequestBytes largest accepted body; a larger one gets 413
 * @param replyTimeoutMs how long a client waits for the query's reply before 504
 * @param server the limits of the server this service starts (ignored when it joins a running
 *     server, which keeps the limits of the service that started it)
 */
public record EndpointLimits(
    int maxPendingRequests, long maxRequestBytes, long replyTimeoutMs, ServerLimits server) {

  /** Limits with the server's defaults. */
  public EndpointLimits(int maxPendingRequests, long maxRequestBytes, long replyTimeoutMs) {
    this(maxPendingRequests, maxRequestBytes, replyTimeoutMs, ServerLimits.DEFAULTS);
  }
}
