package org.sparkserving.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 *       range as a {@link RequestBatch}, for a reader in another JVM. With {@code
 *       &index=I&count=K&waitMs=W} only the seqs s with (s - 1) mod K = I, and a long-poll: when
 *       none of them is admitted yet the answer waits up to W ms for the first (without holding the
 *       event loop), so an idle continuous partition costs about one call per W ms
 *   <li>{@code POST /_serving/<instance>/replies}: a {@link ReplyBatch} from another JVM
 *   <li>{@code GET /_serving/<instance>/status}: the last admitted seq and the counters, as JSON;
 *       also renews the instance's lease
 *   <li>{@code POST /_serving/<instance>/lease}: the driver renews the instance's lease (an
 *       executor's server stops itself when no renewal came for {@code leaseTimeout})
 *   <li>{@code POST /_serving/<instance>/commit?upTo=N}: a batch ending at N was committed
 *   <li>{@code POST /_serving/<instance>/stop[?failure=reason]}: the query stopped (or failed);
 *       answer 503 (or 500 with the reason) and leave the port
 * </ul>
 */
public final class InternalApi {

  private static final Logger LOG = LoggerFactory.getLogger(InternalApi.class);
  private static final RejectionLog FORGED = new RejectionLog(LOG);

  public static final String PREFIX = "/_serving/";

  /** The header that carries a service instance's secret on internal calls. */
  public static final String SECRET_HEADER = "X-Serving-Secret";

  /** The header that carries the server's last admitted seq on a requests call. */
  public static final String LAST_SEQ_HEADER = "X-Serving-Last-Seq";

  private final HttpServer server;

  InternalApi(HttpServer server) {
    this.server = server;
  }

  /** The longest a requests call may wait for its first seq. */
  static final long MAX_WAIT_MS = 10_000;

  /**
   * Answers one internal call. Completes at once except for a long-poll of the requests call, which
   * completes from the admission that brings its seq (or its timeout).
   */
  CompletableFuture<Reply> handle(FullHttpRequest request, String path, QueryStringDecoder uri) {
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash > 0
        && Call.of(rest.substring(slash + 1), request.method()) == Call.REQUESTS
        && uri.parameters().containsKey("waitMs")) {
      ServingEndpoint endpoint = HttpServers.findInstance(rest.substring(0, slash));
      Reply refused = refusal(request, rest.substring(0, slash), endpoint);
      return refused != null
          ? CompletableFuture.completedFuture(refused)
          : longPollRequests(uri, endpoint);
    }
    return CompletableFuture.completedFuture(answer(request, path, uri));
  }

  private Reply answer(FullHttpRequest request, String path, QueryStringDecoder uri) {
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
    Reply refused = refusal(request, rest.substring(0, slash), endpoint);
    if (refused != null) {
      return refused;
    }
    return switch (kind) {
      case REPLIES -> acceptReplies(request, endpoint);
      case REQUESTS -> serveRequests(uri, endpoint);
      case STATUS -> status(endpoint);
      case COMMIT -> commit(uri, endpoint);
      case STOP -> stop(uri, endpoint);
      case LEASE -> lease(endpoint);
    };
  }

  /**
   * 410 for an instance that is gone, 403 without its secret, else null. Asked on the request's
   * head by {@link InternalCallGate}, before any body is buffered, and again when the call runs.
   */
  static Reply refusal(HttpRequest request, String instanceId, ServingEndpoint endpoint) {
    if (endpoint == null || endpoint.isStopped()) {
      return ErrorReplies.gone(instanceId);
    }
    String secret = request.headers().get(SECRET_HEADER);
    if (secret == null
        || !MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8),
            endpoint.secret().getBytes(StandardCharsets.UTF_8))) {
      endpoint.metrics().forgedCalls.increment();
      FORGED.record(
          endpoint,
          "refused an internal call without its secret (Host: "
              + request.headers().get("Host")
              + ")");
      return ErrorReplies.forbidden();
    }
    return null;
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
    STOP("stop", HttpMethod.POST),
    LEASE("lease", HttpMethod.POST);

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

  private static Reply lease(ServingEndpoint endpoint) {
    endpoint.renewLease();
    return Reply.json("{}");
  }

  private static Reply status(ServingEndpoint endpoint) {
    // Only the driver asks for status, so an answer proves it is alive: renew the lease too.
    endpoint.renewLease();
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

  /** The seqs a requests call reads: (after, upTo], or one partition's slice of them. */
  private record Slice(long after, long upTo, int index, int count) {

    static Slice parse(QueryStringDecoder uri) {
      Map<String, List<String>> p = uri.parameters();
      long after = Long.parseLong(p.get("after").get(0));
      long upTo = Long.parseLong(p.get("upTo").get(0));
      int count = p.containsKey("count") ? Integer.parseInt(p.get("count").get(0)) : 1;
      int index = p.containsKey("index") ? Integer.parseInt(p.get("index").get(0)) : 0;
      if (count < 1 || index < 0 || index >= count || after < 0) {
        throw new IllegalArgumentException("bad slice");
      }
      return new Slice(after, upTo, index, count);
    }

    /** The first seq after {@code after} with (seq - 1) mod count = index. */
    long first() {
      return after + 1 + Math.floorMod(index - after, count);
    }

    Reply read(ServingEndpoint endpoint) {
      // The last admitted seq tells a remote reader which missing seqs ended and which are to come.
      long last = endpoint.lastSeq();
      long to = Math.min(upTo, last);
      List<Exchange> out = new ArrayList<>();
      for (long seq = first(); seq <= to; seq += count) {
        Exchange e = endpoint.waiting(seq);
        if (e != null) {
          out.add(e);
        }
      }
      return new Reply(
          200,
          Reply.BINARY,
          Map.of(LAST_SEQ_HEADER, Long.toString(last)),
          RequestBatch.encode(out));
    }
  }

  private static final String BAD_SLICE =
      "'after' and 'upTo' must be seq numbers, 'index' from 0 to 'count' - 1, 'waitMs' a number";

  private static Reply serveRequests(QueryStringDecoder uri, ServingEndpoint endpoint) {
    Slice slice;
    try {
      slice = Slice.parse(uri);
    } catch (RuntimeException e) {
      return ErrorReplies.badRequest(BAD_SLICE);
    }
    endpoint.metrics().requestsCalls.increment();
    return slice.read(endpoint);
  }

  /** A requests call that waits (up to waitMs) until the slice's first seq is admitted. */
  private static CompletableFuture<Reply> longPollRequests(
      QueryStringDecoder uri, ServingEndpoint endpoint) {
    Slice slice;
    long waitMs;
    try {
      slice = Slice.parse(uri);
      waitMs =
          Math.min(MAX_WAIT_MS, Math.max(0, Long.parseLong(uri.parameters().get("waitMs").get(0))));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(ErrorReplies.badRequest(BAD_SLICE));
    }
    endpoint.metrics().requestsCalls.increment();
    return endpoint
        .whenAdmitted(Math.min(slice.first(), slice.upTo()))
        .completeOnTimeout(false, waitMs, TimeUnit.MILLISECONDS)
        .thenApply(admitted -> slice.read(endpoint));
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
