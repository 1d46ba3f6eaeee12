package org.sparkserving.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints under {@value #PREFIX}. Open to anyone: {@code GET /_serving/health} and the
 * registry, {@code GET /_serving/services[/<name>]} (which URLs serve a service, for load balancers
 * and clients). Called only by Spark Serving itself, with the instance's secret in {@value
 * #SECRET_HEADER}:
 *
 * <ul>
 *   <li>{@code GET /_serving/<instance>/requests?after=A&upTo=B}: the waiting requests of a seq
 *       range as a {@link RequestBatch}, for a reader in another JVM
 *   <li>{@code POST /_serving/<instance>/replies}: a {@link ReplyBatch} from another JVM
 *   <li>{@code GET /_serving/<instance>/status}: the last admitted seq and the counters, as JSON
 *   <li>{@code POST /_serving/<instance>/commit?upTo=N}: a batch ending at N was committed
 *   <li>{@code POST /_serving/<instance>/stop[?failure=reason]}: the query stopped (or failed);
 *       answer 503 (or 500 with the reason) and leave the port
 * </ul>
 */
public final class InternalApi {

  private static final Logger LOG = LoggerFactory.getLogger(InternalApi.class);

  public static final String PREFIX = "/_serving/";

  /** The header that carries a service instance's secret on internal calls. */
  public static final String SECRET_HEADER = "X-Serving-Secret";

  /** The header that carries the server's last admitted seq on a requests call. */
  public static final String LAST_SEQ_HEADER = "X-Serving-Last-Seq";

  private final HttpServer server;

  InternalApi(HttpServer server) {
    this.server = server;
  }

  Reply handle(FullHttpRequest request, String path, QueryStringDecoder uri) {
    String rest = path.substring(PREFIX.length());
    if (rest.equals("health")) {
      StringJoiner names = new StringJoiner(",", "[", "]");
      for (ServingEndpoint e : server.endpoints()) {
        names.add(JsonStrings.quote(e.name()));
      }
      return Reply.json("{\"status\":\"UP\",\"services\":" + names + "}");
    }
    if (rest.equals(SERVICES) || rest.startsWith(SERVICES + "/")) {
      return registry(rest.substring(SERVICES.length()));
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return ErrorReplies.notFound(path);
    }
    String call = rest.substring(slash + 1);
    Call kind = Call.of(call, request.method());
    if (kind == null) {
      return ErrorReplies.notFound(path);
    }
    ServingEndpoint endpoint = HttpServers.findInstance(rest.substring(0, slash));
    if (endpoint == null || endpoint.isStopped()) {
      return ErrorReplies.gone(rest.substring(0, slash));
    }
    String secret = request.headers().get(SECRET_HEADER);
    if (secret == null
        || !MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8),
            endpoint.secret().getBytes(StandardCharsets.UTF_8))) {
      endpoint.metrics().forgedCalls.increment();
      LOG.warn(
          "Refused an internal call to service '{}' without its secret (Host: {})",
          endpoint.name(),
          request.headers().get("Host"));
      return ErrorReplies.forbidden();
    }
    return switch (kind) {
      case REPLIES -> acceptReplies(request, endpoint);
      case REQUESTS -> serveRequests(uri, endpoint);
      case STATUS -> status(endpoint);
      case COMMIT -> commit(uri, endpoint);
      case STOP -> stop(uri, endpoint);
    };
  }

  private static final String SERVICES = "services";

  /**
   * Where the server at {@code address} ({@code host:port}) lists the URLs serving {@code name}.
   */
  public static String registryUrl(String address, String name) {
    return "http://" + address + PREFIX + SERVICES + "/" + name;
  }

  /** The secret-protected calls on one instance. */
  private enum Call {
    REQUESTS("requests", HttpMethod.GET),
    REPLIES("replies", HttpMethod.POST),
    STATUS("status", HttpMethod.GET),
    COMMIT("commit", HttpMethod.POST),
    STOP("stop", HttpMethod.POST);

    private final String path;
    private final HttpMethod method;

    Call(String path, HttpMethod method) {
      this.path = path;
      this.method = method;
    }

    static Call of(String path, HttpMethod method) {
      for (Call c : values()) {
        if (c.path.equals(path) && c.method.equals(method)) {
          return c;
        }
      }
      return null;
    }
  }

  /** {@code ""} lists every service; {@code "/<name>"} lists the URLs of one. */
  private static Reply registry(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      StringJoiner names = new StringJoiner(",", "{\"services\":[", "]}");
      for (String name : ServiceDirectory.names()) {
        names.add(JsonStrings.quote(name));
      }
      return Reply.json(names.toString());
    }
    String name = rest.substring(1);
    List<String> urls = ServiceDirectory.urls(name);
    if (urls.isEmpty() && ServiceDirectory.find(name) == null) {
      return ErrorReplies.notFound("/" + PREFIX.substring(1) + SERVICES + rest);
    }
    StringJoiner list = new StringJoiner(",", "[", "]");
    urls.forEach(u -> list.add(JsonStrings.quote(u)));
    return Reply.json("{\"name\":" + JsonStrings.quote(name) + ",\"endpoints\":" + list + "}");
  }

  private static Reply status(ServingEndpoint endpoint) {
    StringJoiner json = new StringJoiner(",", "{", "}");
    endpoint.status().forEach((k, v) -> json.add(JsonStrings.quote(k) + ":" + v));
    return Reply.json(json.toString());
  }

  private static Reply commit(QueryStringDecoder uri, ServingEndpoint endpoint) {
    try {
      endpoint.commit(Long.parseLong(uri.parameters().get("upTo").get(0)));
      return Reply.json("{}");
    } catch (RuntimeException e) {
      return ErrorReplies.badRequest("'upTo' must be a seq number");
    }
  }

  private static Reply stop(QueryStringDecoder uri, ServingEndpoint endpoint) {
    List<String> failure = uri.parameters().get("failure");
    Reply finalReply = ErrorReplies.ended(endpoint.name(), failure == null ? null : failure.get(0));
    // Not on this event loop: stopping may close this very server, which waits for its loops.
    CompletableFuture.runAsync(
        () -> {
          endpoint.stop(finalReply);
          LOG.info("Service '{}' at {} stopped by its query", endpoint.name(), endpoint.url());
        });
    return Reply.json("{}");
  }

  private static Reply serveRequests(QueryStringDecoder uri, ServingEndpoint endpoint) {
    long after;
    long upTo;
    try {
      after = Long.parseLong(uri.parameters().get("after").get(0));
      upTo = Long.parseLong(uri.parameters().get("upTo").get(0));
    } catch (RuntimeException e) {
      return ErrorReplies.badRequest("'after' and 'upTo' must be seq numbers");
    }
    // The last admitted seq tells a remote reader which missing seqs ended and which are to come.
    long last = endpoint.lastSeq();
    return new Reply(
        200,
        Reply.BINARY,
        java.util.Map.of(LAST_SEQ_HEADER, Long.toString(last)),
        RequestBatch.encode(endpoint.read(after, Math.min(upTo, last))));
  }

  private static Reply acceptReplies(FullHttpRequest request, ServingEndpoint endpoint) {
    List<ReplyBatch.Entry> entries;
    try {
      entries = ReplyBatch.decode(ByteBufUtil.getBytes(request.content()));
    } catch (IOException e) {
      return ErrorReplies.badRequest("malformed reply batch: " + e.getMessage());
    }
    int answered = 0;
    for (ReplyBatch.Entry entry : entries) {
      if (endpoint.reply(entry.seq(), entry.reply())) {
        answered++;
      }
    }
    return Reply.json("{\"received\":" + entries.size() + ",\"answered\":" + answered + "}");
  }
}
