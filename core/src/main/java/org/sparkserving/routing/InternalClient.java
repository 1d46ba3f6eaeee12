package org.sparkserving.routing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.Origins;

/** The JVM's one HTTP client for internal calls between Spark Serving servers. */
final class InternalClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private InternalClient() {}

  static URI uri(String origin, String call) {
    return URI.create(
        "http://"
            + Origins.address(origin)
            + InternalApi.PREFIX
            + Origins.instanceId(origin)
            + "/"
            + call);
  }

  /** The error for an internal call that did not answer 200, with what the server said. */
  static IOException refused(HttpResponse<byte[]> response, String origin, String call) {
    return new IOException(
        "HTTP "
            + response.statusCode()
            + " from "
            + origin
            + " on "
            + call
            + ": "
            + new String(response.body(), StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request, String secret) throws IOException {
    return send(request, secret, TIMEOUT);
  }

  /** A call without a secret (the open registry), waiting at most {@code timeout}. */
  static HttpResponse<byte[]> plain(HttpRequest.Builder request, Duration timeout)
      throws IOException, InterruptedException {
    return CLIENT.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends without blocking the caller. */
  static CompletableFuture<HttpResponse<byte[]>> sendAsync(
      HttpRequest.Builder request, String secret) {
    return sendAsync(request, secret, TIMEOUT);
  }

  /** Sends without blocking the caller; the call fails after {@code timeout}. */
  static CompletableFuture<HttpResponse<byte[]>> sendAsync(
      HttpRequest.Builder request, String secret, Duration timeout) {
    return CLIENT.sendAsync(
        request.timeout(timeout).header(InternalApi.SECRET_HEADER, secret).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> send(
      HttpRequest.Builder request, String secret, Duration timeout) throws IOException {
    try {
      return CLIENT.send(
          request.timeout(timeout).header(InternalApi.SECRET_HEADER, secret).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted during an internal call", e);
    }
  }
}
