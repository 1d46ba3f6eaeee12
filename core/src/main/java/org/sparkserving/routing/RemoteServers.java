package org.sparkserving.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The driver's calls to a service's servers in other JVMs: status, commit, lease and stop. Each
 * returns at once with a future, so the driver can call every server in parallel and bound how long
 * it waits; a future fails with {@link Refused} when the server answered but not with 200 (410 when
 * the instance is gone), or with an {@link IOException} when it could not be reached.
 */
public final class RemoteServers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RemoteServers() {}

  /** A server answered an internal call with something other than 200. */
  public static final class Refused extends IOException {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** True when the server instance no longer runs (410). */
    public boolean gone() {
      return status == 410;
    }
  }

  /** The server's last admitted seq ({@code lastSeq}) and counters; renews its lease too. */
  public static CompletableFuture<Map<String, Long>> status(
      String origin, String secret, Duration timeout) {
    return call(origin, "status", secret, HttpRequest.newBuilder().GET(), timeout)
        .thenApply(RemoteServers::counters);
  }

  /** Lets the server release the bodies of requests up to {@code upToSeq}. */
  public static CompletableFuture<byte[]> commit(
      String origin, String secret, long upToSeq, Duration timeout) {
    return call(origin, "commit?upTo=" + upToSeq, secret, post(), timeout);
  }

  /** Renews the server's lease, so it keeps serving. */
  public static CompletableFuture<byte[]> renewLease(
      String origin, String secret, Duration timeout) {
    return call(origin, "lease", secret, post(), timeout);
  }

  /**
   * Stops the server instance and releases its port: its waiting clients get 503, or 500 with
   * {@code failure} when it is not null.
   */
  public static CompletableFuture<byte[]> stop(
      String origin, String secret, String failure, Duration timeout) {
    return call(
        origin,
        failure == null
            ? "stop"
            : "stop?failure=" + URLEncoder.encode(failure, StandardCharsets.UTF_8),
        secret,
        post(),
        timeout);
  }

  /** The cause of a failed call's future, unwrapped. */
  public static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static HttpRequest.Builder post() {
    return HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody());
  }

  private static Map<String, Long> counters(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      Map<String, Long> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asLong());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompletableFuture<byte[]> call(
      String origin, String call, String secret, HttpRequest.Builder request, Duration timeout) {
    request.uri(InternalClient.uri(origin, call));
    return InternalClient.sendAsync(request, secret, timeout)
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                IOException refused = InternalClient.refused(response, origin, call);
                throw new CompletionException(
                    new Refused(response.statusCode(), refused.getMessage()));
              }
              return response.body();
            });
  }
}
