package org.sparkserving.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: routes each request to its service, admits it, and
 * writes replies strictly in request order (RFC 9112 section 9.3.2: a pipelining client matches
 * responses to requests by order alone).
 */
final class ServingConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ServingConnection.class);

  /** Fired by {@link LimitedAggregator} instead of a request whose body exceeds every limit. */
  static final Object OVERSIZED = new Object();

  private final HttpServer server;

  /** Event-loop confined: replies waiting for their turn, oldest first. */
  private final ArrayDeque<ResponseSlot> slots = new ArrayDeque<>();

  private final Runnable writeReadyTask = this::writeReady;
  private static final RejectionLog REJECTIONS = new RejectionLog(LOG);
  private ChannelHandlerContext ctx;

  /** A connection to the internal-only listener: service paths are not served here. */
  private boolean internalOnly;

  ServingConnection(HttpServer server) {
    this.server = server;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.internalOnly = Boolean.TRUE.equals(ctx.channel().attr(HttpServer.INTERNAL_ONLY).get());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      handle(request);
    } finally {
      request.release();
    }
  }

  private void handle(FullHttpRequest request) {
    ResponseSlot slot = new ResponseSlot(this);
    slots.add(slot);
    if (!request.decoderResult().isSuccess()) {
      LOG.debug("Malformed HTTP request on {}", server, request.decoderResult().cause());
      reject(slot, ErrorReplies.badRequest("malformed HTTP request"));
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    if (path.startsWith(InternalApi.PREFIX)) {
      // Completes at once, except a remote reader's long-poll, which fills the slot later.
      server.internalApi().handle(request, path, uri).thenAccept(slot::fill);
      return;
    }
    ServingEndpoint endpoint = internalOnly ? null : server.route(path);
    if (endpoint == null) {
      reject(slot, ErrorReplies.notFound(path));
      return;
    }
    int size = request.content().readableBytes();
    if (size > endpoint.limits().maxRequestBytes()) {
      reject(slot, ErrorReplies.payloadTooLarge(endpoint.limits().maxRequestBytes()));
      return;
    }
    ServingRequest admitted =
        new ServingRequest(
            request.method().name(),
            path,
            rawQuery(request.uri()),
            headers(request.headers()),
            ByteBufUtil.getBytes(request.content()));
    if (endpoint.admit(admitted, slot) == null) {
      reject(slot, endpoint.rejection());
    }
  }

  private void reject(ResponseSlot slot, Reply reply) {
    REJECTIONS.record(server, reply);
    slot.fill(reply);
  }

  private static String rawQuery(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }

  private static Map<String, String> headers(HttpHeaders headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    return out;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == OVERSIZED) {
      ResponseSlot slot = new ResponseSlot(this);
      slots.add(slot);
      Reply tooLarge = ErrorReplies.payloadTooLarge(server.maxRequestBytes());
      // The rest of the body is still on the wire, so the connection cannot be reused.
      Map<String, String> headers = new LinkedHashMap<>(tooLarge.headers());
      headers.put("Connection", "close");
      reject(slot, new Reply(tooLarge.status(), tooLarge.contentType(), headers, tooLarge.body()));
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  /** Called from any thread when a slot got its reply. */
  void slotFilled() {
    if (ctx.executor().inEventLoop()) {
      writeReady();
    } else {
      ctx.executor().execute(writeReadyTask);
    }
  }

  private void writeReady() {
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peekFirst().reply() != null) {
      Reply reply = slots.pollFirst().reply();
      FullHttpResponse response;
      try {
        response = toResponse(reply);
      } catch (IllegalArgumentException e) {
        // A header the query built is not valid HTTP (e.g. a newline in a value).
        LOG.warn("Service on {} produced an invalid reply: {}", server, e.getMessage());
        response = toResponse(ErrorReplies.invalidReply(e.getMessage()));
      }
      ctx.write(response);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private static FullHttpResponse toResponse(Reply reply) {
    ByteBuf body = Unpooled.wrappedBuffer(reply.body());
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), body);
    HttpHeaders h = response.headers();
    if (reply.contentType() != null) {
      h.set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    }
    for (Map.Entry<String, String> e : reply.headers().entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    HttpUtil.setContentLength(response, body.readableBytes());
    return response;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // The clients are gone: free their requests so no reader spends Spark time on them.
    for (ResponseSlot slot : slots) {
      Exchange exchange = slot.exchange();
      if (exchange != null) {
        exchange.abandon();
      }
    }
    slots.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Closing connection {} after error", ctx.channel(), cause);
    ctx.close();
  }
}
