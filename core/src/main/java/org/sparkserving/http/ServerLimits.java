package org.sparkserving.http;

/**
 * The limits of one HTTP server, shared by every service on its port: they bound what hostile or
 * careless clients can make the server hold (see README, "Limits", for the worst-case memory as a
 * formula of them). A server takes the limits of the service that started it.
 *
 * @param maxConnections open connections; a new one beyond it is closed at accept
 * @param idleTimeoutMs a connection with nothing to read, write or wait for is closed after it; so
 *     is one whose client has not taken its replies for that long
 * @param requestReadTimeoutMs time to receive one whole request, head and body (slowloris)
 * @param maxPipelinedRequests requests waiting for their replies on one connection before the
 *     server stops reading it
 * @param maxOutboundBytes reply bytes queued for one connection before the server stops writing and
 *     reading it (Netty's write buffer high water mark)
 * @param maxPendingBytes request body bytes held by the server at once: bodies arriving and bodies
 *     admitted and not yet committed or answered; past it 503
 * @param maxInternalRequestBytes largest body of an authenticated internal call (reply batches)
 * @param maxHeaderBytes longest request line, and largest header section, of a request
 */
public record ServerLimits(
    int maxConnections,
    long idleTimeoutMs,
    long requestReadTimeoutMs,
    int maxPipelinedRequests,
    int maxOutboundBytes,
    long maxPendingBytes,
    int maxInternalRequestBytes,
    int maxHeaderBytes)
    implements java.io.Serializable {

  /** The documented defaults (see {@code ServingOptions}). */
  public static final ServerLimits DEFAULTS =
      new ServerLimits(10_000, 60_000, 30_000, 16, 64 << 10, 64L << 20, 64 << 20, 8192);
}
