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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints under {@value #PREFIX} that Spark Serving itself calls, never users' clients:
 * {@code GET /_serving/health}; {@code GET /_serving/<instance>/requests?after=A&upTo=B}, which
 * hands a reader in another JVM the waiting requests of a seq range as a {@link RequestBatch}; and
 * {@code POST /_serving/<instance>/replies}, which delivers a {@link ReplyBatch} from another JVM.
 * Both of the latter require the instance's secret in {@value #SECRET_HEADER}.
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
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return ErrorReplies.notFound(path);
    }
    String call = rest.substring(slash + 1);
    boolean replies = call.equals("replies") && request.method().equals(HttpMethod.POST);
    boolean requests = call.equals("requests") && request.method().equals(HttpMethod.GET);
    if (!replies && !requests) {
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
    return replies ? acceptReplies(request, endpoint) : serveRequests(uri, endpoint);
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
