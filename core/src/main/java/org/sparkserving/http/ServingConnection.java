package org.sparkserving.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
 *
 * <p>It also applies back-pressure: with maxPipelinedRequests waiting for their replies, or with
 * maxOutboundBytes of replies the client has not taken (the channel is not writable), it stops
 * reading the connection until replies drain. Replies not yet handed to Netty wait in their slots
 * while the channel is not writable, so a client that does not read holds at most maxOutboundBytes
 * (plus one reply) of Netty's buffers. After a {@link LimitedAggregator.Refusal} it admits nothing
 * more, answers the refusal in its turn and closes the connection.
 */
final class ServingConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ServingConnection.class);

  /** Stands in a slot for the interim 100 Continue that a request with Expect asked for. */
  private static final Reply CONTINUE_REPLY = new Reply(100, null, Map.of(), new byte[0]);

  private final HttpServer server;
  private final int maxPipelined;
  private final ByteBudget budget;

  /** Event-loop confined: replies waiting for their turn, oldest first. */
  private final ArrayDeque<ResponseSlot> slots = new ArrayDeque<>();

  private final Runnable writeReadyTask = this::writeReady;
  private static final RejectionLog REJECTIONS = new RejectionLog(LOG);
  private ChannelHandlerContext ctx;
  private ConnectionTimeouts timeouts;

  /** Set by a refusal: nothing more is admitted, and the connection closes after its reply. */
  private boolean closing;

  /** The refusal's slot: the connection closes once it is written. */
  private ResponseSlot closeAfter;

  /** Reading is off for back-pressure (too many replies outstanding, or not writable). */
  private boolean paused;

  /** A connection to the internal-only listener: service paths are not served here. */
  private boolean internalOnly;

  ServingConnection(HttpServer server) {
    this.server = server;
    this.maxPipelined = server.limits().maxPipelinedRequests();
    this.budget = server.bodyBudget();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.internalOnly = Boolean.TRUE.equals(ctx.channel().attr(HttpServer.INTERNAL_ONLY).get());
    this.timeouts = ctx.pipeline().get(ConnectionTimeouts.class);
    if (timeouts != null) {
      timeouts.attach(this);
    }
  }

  /** True while reading is paused for back-pressure (the request-read clock stops). */
  boolean readingPaused() {
    return paused;
  }

  /** True while a request of this connection waits for its reply (the connection is not idle). */
  boolean awaitingReplies() {
    return !slots.isEmpty();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg == LimitedAggregator.CONTINUE) {
      ResponseSlot slot = new ResponseSlot(this);
      slots.add(slot);
      slot.fill(CONTINUE_REPLY);
      return;
    }
    if (msg instanceof LimitedAggregator.Refusal refusal) {
      if (timeouts != null) {
        timeouts.requestReceived();
      }
      refuse(refusal.reply());
      return;
    }
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (timeouts != null) {
      timeouts.requestReceived();
    }
    // The aggregator counted a public request against the server's budget; an admitted request
    // hands it on to its exchange, every other one gives it back here.
    long held =
        InternalCallGate.isAuthenticated(request)
            ? 0
            : HeldBytes.ofHead(request) + request.content().readableBytes();
    boolean kept = false;
    try {
      kept = handle(request, held);
    } finally {
      request.release();
      if (held > 0 && !kept) {
        budget.release(held);
      }
    }
    if (slots.size() >= maxPipelined) {
      pause();
    }
  }

  /** Answers {@code reply} in this request's turn, then closes: nothing after it is admitted. */
  private void refuse(Reply reply) {
    // Reading goes on (the handlers before this one drop every byte) until the refusal is
    // written and the connection closed: closing a socket with unread bytes sends a reset, which
    // can destroy the refusal before the client reads it. The request-read timeout bounds it.
    closing = true;
    server.connectionMetrics().protocolErrors.increment();
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Connection", "close");
    ResponseSlot slot = new ResponseSlot(this);
    slots.add(slot);
    closeAfter = slot;
    reject(slot, new Reply(reply.status(), reply.contentType(), headers, reply.body()));
  }

  private void pause() {
    if (!paused) {
      paused = true;
      server.connectionMetrics().pausedConnections.increment();
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void resumeIfDrained() {
    if (paused && !closing && slots.size() < maxPipelined && ctx.channel().isWritable()) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      writeReady();
      resumeIfDrained();
    } else {
      pause();
    }
    super.channelWritabilityChanged(ctx);
  }

  /** Routes and admits one request; true if its body now belongs to an admitted exchange. */
  private boolean handle(FullHttpRequest request, long held) {
    ResponseSlot slot = new ResponseSlot(this);
    slots.add(slot);
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    if (path.startsWith(InternalApi.PREFIX)) {
      // Completes at once, except a remote reader's long-poll, which fills the slot later.
      server.internalApi().handle(request, path, uri).thenAccept(slot::fill);
      return false;
    }
    ServingEndpoint endpoint = internalOnly ? null : server.route(path);
    if (endpoint == null) {
      reject(slot, ErrorReplies.notFound(path));
      return false;
    }
    int size = request.content().readableBytes();
    if (size > endpoint.limits().maxRequestBytes()) {
      reject(slot, ErrorReplies.payloadTooLarge(endpoint.limits().maxRequestBytes()));
      return false;
    }
    ServingRequest admitted =
        new ServingRequest(
            request.method().name(),
            path,
            rawQuery(request.uri()),
            headers(request.headers()),
            ByteBufUtil.getBytes(request.content()));
    if (endpoint.admit(admitted, slot, held) == null) {
      reject(slot, endpoint.rejection());
      return false;
    }
    return true;
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
    // Replies stay in their slots while the client is not taking them: Netty's buffer holds at
    // most maxOutboundBytes (the high water mark) plus the reply that crossed it.
    while (!slots.isEmpty() && slots.peekFirst().reply() != null && ctx.channel().isWritable()) {
      ResponseSlot slot = slots.pollFirst();
      Reply reply = slot.reply();
      if (reply == CONTINUE_REPLY) {
        // RFC 9110 section 15.2.1: an interim response; the final one follows in this turn.
        ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        wrote = true;
        continue;
      }
      FullHttpResponse response;
      try {
        Reply checked = ErrorReplies.checkFinal(reply);
        if (checked != reply) {
          LOG.debug("Service on {} produced an invalid reply: status {}", server, reply.status());
          REJECTIONS.record(server, checked);
        }
        response = toResponse(checked);
      } catch (IllegalArgumentException e) {
        // A header the query built is not valid HTTP (e.g. a newline in a value).
        LOG.warn("Service on {} produced an invalid reply: {}", server, e.getMessage());
        response = toResponse(ErrorReplies.invalidReply(e.getMessage()));
      }
      if (slot == closeAfter) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        slots.clear();
        return;
      }
      ctx.write(response);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
      resumeIfDrained();
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
      if (exchange != null && exchange.abandon()) {
        exchange.endpoint().metrics().abandoned.increment();
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
