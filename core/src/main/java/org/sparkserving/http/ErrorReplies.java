package org.sparkserving.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one place that decides which HTTP status each failure gets. Every error body is a small JSON
 * object {@code {"error": "...", "status": N}} so that clients can parse failures uniformly.
 */
public final class ErrorReplies {

  private ErrorReplies() {}

  /** 400: the request could not be turned into the query's input (for example malformed JSON). */
  public static Reply badRequest(String reason) {
    return error(400, "Bad request: " + reason, Map.of());
  }

  /** 404: no service is registered at this path on this server. */
  public static Reply notFound(String path) {
    return error(404, "No service at path '" + path + "'", Map.of());
  }

  /** 413: the body is larger than the service's maxRequestBytes. */
  public static Reply payloadTooLarge(long limit) {
    return error(
        413,
        "Request body larger than " + limit + " bytes (option maxRequestBytes)",
        Map.of("Connection", "close"));
  }

  /** 503: maxPendingRequests clients are already waiting; the client should retry shortly. */
  public static Reply overloaded(int maxPending) {
    return error(
        503,
        "Service overloaded: "
            + maxPending
            + " requests already waiting (option maxPendingRequests)",
        Map.of("Retry-After", "1"));
  }

  /** 503: the streaming query behind the service stopped (or failed) before answering. */
  public static Reply stopped(String service) {
    return error(
        503,
        "Service '" + service + "' stopped before replying: its query was stopped" + " or failed",
        Map.of("Retry-After", "1"));
  }

  /**
   * 500: the streaming query behind the service failed before answering. {@code reason} is what the
   * client may hear: by default only the exception's class name (option includeErrorDetails adds
   * its message), never a stack trace; the full text is in the driver's log.
   */
  public static Reply queryFailed(String service, String reason) {
    return error(
        500,
        "The query serving '" + service + "' failed while processing this request: " + reason,
        Map.of());
  }

  /** What waiting clients hear when a service ends: 500 if its query failed, else 503. */
  public static Reply ended(String service, String failure) {
    return failure == null ? stopped(service) : queryFailed(service, failure);
  }

  /** 500: the query's reply cannot be sent as HTTP (a bad status or header). */
  public static Reply invalidReply(String reason) {
    return error(500, "The query's reply is not valid HTTP: " + reason, Map.of());
  }

  /** 504: the query did not reply within replyTimeout. */
  public static Reply timedOut(long timeoutMs) {
    return error(504, "No reply within " + timeoutMs + " ms (option replyTimeout)", Map.of());
  }

  /** 410: an internal call for a service instance that no longer runs in this JVM. */
  public static Reply gone(String instanceId) {
    return error(410, "Service instance " + instanceId + " is gone", Map.of());
  }

  /** 403: an internal call without the service's secret. */
  public static Reply forbidden() {
    return error(403, "Forbidden", Map.of());
  }

  /** 503: the server already holds maxPendingBytes of request bodies; retry shortly. */
  public static Reply bodiesOverBudget(long maxPendingBytes) {
    return error(
        503,
        "Service overloaded: "
            + maxPendingBytes
            + " bytes of request bodies already held (option maxPendingBytes)",
        Map.of("Retry-After", "1"));
  }

  /** 417: an Expect header other than 100-continue (RFC 9110 section 10.1.1). */
  public static Reply expectationFailed(String expect) {
    return error(
        417, "Unsupported Expect: " + abbreviate(expect) + " (only 100-continue)", Map.of());
  }

  /** 414: the request line is longer than maxHeaderBytes. */
  public static Reply uriTooLong(int limit) {
    return error(
        414, "Request line longer than " + limit + " bytes (option maxHeaderBytes)", Map.of());
  }

  /** 431: the header section is larger than maxHeaderBytes. */
  public static Reply headersTooLarge(int limit) {
    return error(
        431, "Request headers larger than " + limit + " bytes (option maxHeaderBytes)", Map.of());
  }

  /**
   * The reply itself when {@code reply} can be sent as a final HTTP/1.1 response, else a 500 naming
   * why: a final response has a status from 200 to 599 (1xx are interim responses, and a client
   * waits on after one), and 204 and 304 carry no body (RFC 9110 sections 15.2, 15.3.5, 15.4.5).
   */
  static Reply checkFinal(Reply reply) {
    int status = reply.status();
    if (status < 200 || status > 599) {
      return invalidReply(
          "status "
              + status
              + (status >= 100 && status < 200
                  ? " is an interim (1xx) status, not a final response"
                  : " is outside 200-599"));
    }
    if ((status == 204 || status == 304) && reply.body().length > 0) {
      return invalidReply("status " + status + " must not carry a body");
    }
    return reply;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static Reply error(int status, String message, Map<String, String> headers) {
    String body = "{\"error\":" + JsonStrings.quote(message) + ",\"status\":" + status + "}";
    return new Reply(status, Reply.JSON, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
