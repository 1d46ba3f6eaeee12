package org.sparkserving.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates a request's body up to its limit, and decides everything about a request that must be
 * decided before its body is read: a malformed head, HTTP/1.1 without Host, an {@code Expect} other
 * than 100-continue, a declared body over the limit or over the server's byte budget. None of these
 * answers is written here: each goes to {@link ServingConnection} as a {@link Refusal}, which
 * answers in the request's turn and then closes the connection, because what follows on the wire (a
 * body the client sends anyway, bytes after a bad chunk) can no longer be parsed reliably. From a
 * refusal on, this handler drops everything, so no byte after it is ever executed.
 *
 * <p>Unlike Netty's HttpObjectAggregator it never writes a response itself (not even 100 Continue,
 * which {@link ServingConnection} sends in order), and it counts a public request's head and the
 * body bytes it buffers against the server's maxPendingBytes as they arrive ({@link HeldBytes});
 * the reservation goes on with the request. Every field is confined to the event loop.
 */
final class LimitedAggregator extends ChannelInboundHandlerAdapter {

  /**
   * Fired instead of a request whose client asked {@code Expect: 100-continue}, before its body.
   */
  static final Object CONTINUE = new Object();

  /** A request answered without being read: the reply, then the connection closes. */
  record Refusal(Reply reply) {}

  private static final int MAX_COMPONENTS = 1024;

  private final HttpServer server;
  private final ByteBudget budget;

  private HttpRequest head;
  private CompositeByteBuf body;
  private long limit;

  /** Bytes reserved in the budget for the request being read: its head and body so far. */
  private long reserved;

  private boolean counted;
  private boolean refused;

  LimitedAggregator(HttpServer server) {
    this.server = server;
    this.budget = server.bodyBudget();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (head != null) {
        refuse(ctx, ErrorReplies.badRequest("a new request began inside a body"));
        ReferenceCountUtil.release(msg);
        return;
      }
      Reply refusal = start(request);
      if (refusal != null) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, refusal);
        return;
      }
      if (HttpUtil.is100ContinueExpected(request)) {
        ctx.fireChannelRead(CONTINUE);
      }
      head = request;
      body = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
    }
    if (msg instanceof HttpContent content) {
      if (head == null) {
        content.release();
        return;
      }
      Reply refusal = append(content);
      content.release();
      if (refusal != null) {
        refuse(ctx, refusal);
        return;
      }
      if (content instanceof LastHttpContent last) {
        FullHttpRequest full =
            new DefaultFullHttpRequest(
                head.protocolVersion(),
                head.method(),
                head.uri(),
                body,
                head.headers(),
                last.trailingHeaders());
        head = null;
        body = null;
        reserved = 0;
        ctx.fireChannelRead(full);
      }
    } else if (!(msg instanceof HttpRequest)) {
      ctx.fireChannelRead(msg);
    }
  }

  /** Checks a request's head; returns the refusal, or null to read its body. */
  private Reply start(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (!result.isSuccess()) {
      return malformed(result.cause());
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !request.headers().contains(HttpHeaderNames.HOST)) {
      // RFC 9112 section 3.2: a server must answer 400 to an HTTP/1.1 request without Host.
      return ErrorReplies.badRequest("HTTP/1.1 request without a Host header");
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
      return ErrorReplies.expectationFailed(expect);
    }
    counted = !InternalCallGate.isAuthenticated(request);
    limit = counted ? server.maxRequestBytes() : server.limits().maxInternalRequestBytes();
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > limit) {
      return ErrorReplies.payloadTooLarge(limit);
    }
    if (counted) {
      long head = HeldBytes.ofHead(request);
      if (!budget.fits(head + Math.max(declared, 0)) || !budget.tryReserve(head)) {
        server.connectionMetrics().refusedBodies.increment();
        return ErrorReplies.bodiesOverBudget(budget.max());
      }
      reserved = head;
    }
    return null;
  }

  /** Buffers one piece of body; returns the refusal, or null. */
  private Reply append(HttpContent content) {
    if (!content.decoderResult().isSuccess()) {
      return malformed(content.decoderResult().cause());
    }
    int n = content.content().readableBytes();
    if (n == 0) {
      return null;
    }
    if (body.readableBytes() + (long) n > limit) {
      return ErrorReplies.payloadTooLarge(limit);
    }
    if (counted) {
      if (!budget.tryReserve(n)) {
        server.connectionMetrics().refusedBodies.increment();
        return ErrorReplies.bodiesOverBudget(budget.max());
      }
      reserved += n;
    }
    body.addComponent(true, content.content().retain());
    return null;
  }

  private Reply malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ErrorReplies.uriTooLong(server.limits().maxHeaderBytes());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ErrorReplies.headersTooLarge(server.limits().maxHeaderBytes());
    }
    return ErrorReplies.badRequest("malformed HTTP request");
  }

  private void refuse(ChannelHandlerContext ctx, Reply reply) {
    refused = true;
    discard();
    ctx.fireChannelRead(new Refusal(reply));
  }

  private void discard() {
    head = null;
    if (body != null) {
      body.release();
      body = null;
    }
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    discard();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }
}
