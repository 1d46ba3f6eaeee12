package org.sparkserving.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The driver's calls to a service's servers in other JVMs: status, commit and stop. */
public final class RemoteServers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RemoteServers() {}

  /**
   * The server's last admitted seq ({@code lastSeq}) and counters.
   *
   * @throws IOException when it cannot be reached or refuses (410 when the instance is gone)
   */
  public static Map<String, Long> status(String origin, String secret) throws IOException {
    JsonNode node =
        JSON.readTree(call(origin, "status", secret, HttpRequest.newBuilder().GET(), true));
    Map<String, Long> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asLong());
    }
    return out;
  }

  /** Lets the server release the bodies of requests up to {@code upToSeq}. */
  public static void commit(String origin, String secret, long upToSeq) throws IOException {
    call(
        origin,
        "commit?upTo=" + upToSeq,
        secret,
        HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
        false);
  }

  /**
   * Stops the server instance and releases its port: its waiting clients get 503, or 500 with
   * {@code failure} when it is not null.
   */
  public static void stop(String origin, String secret, String failure) throws IOException {
    call(
        origin,
        failure == null
            ? "stop"
            : "stop?failure=" + URLEncoder.encode(failure, StandardCharsets.UTF_8),
        secret,
        HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
        false);
  }

  private static byte[] call(
      String origin, String call, String secret, HttpRequest.Builder request, boolean quick)
      throws IOException {
    request.uri(InternalClient.uri(origin, call));
    HttpResponse<byte[]> response =
        quick ? InternalClient.sendQuick(request, secret) : InternalClient.send(request, secret);
    if (response.statusCode() != 200) {
      throw InternalClient.refused(response, origin, call);
    }
    return response.body();
  }
}
