package org.sparkserving.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete response for one client: status, extra headers and body. Content-Length and keep-alive
 * headers are added when it is written.
 *
 * @param status the HTTP status code
 * @param contentType the Content-Type header, or null for none
 * @param headers further headers, never null
 * @param body the body bytes, never null
 */
public record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {

  public static final String TEXT = "text/plain; charset=UTF-8";
  public static final String JSON = "application/json";
  public static final String BINARY = "application/octet-stream";

  /** A 200 reply with a UTF-8 text body. */
  public static Reply text(String body) {
    return new Reply(200, TEXT, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 reply whose body is already serialized JSON. */
  public static Reply json(String json) {
    return new Reply(200, JSON, Map.of(), json.getBytes(StandardCharsets.UTF_8));
  }
}
