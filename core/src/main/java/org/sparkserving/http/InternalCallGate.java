package org.sparkserving.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks an internal call's secret on the request's head, before any of its body is buffered: an
 * internal call may carry up to maxInternalRequestBytes (a batch of replies from another JVM), far
 * more than a public request, so only a caller holding the service instance's secret may send one.
 * A call without it is refused (403, 404 or 410) and the connection closed, unread. The open calls,
 * {@code GET /_serving/health} and {@code /_serving/services...}, pass as public requests. Every
 * field is confined to the event loop.
 */
final class InternalCallGate extends ChannelInboundHandlerAdapter {

  private boolean refused;

  /**
   * True for a request this gate let through as an internal call: {@link LimitedAggregator} then
   * applies maxInternalRequestBytes instead of the public limit.
   */
  static boolean isAuthenticated(HttpRequest request) {
    return request.uri().startsWith(InternalApi.PREFIX)
        && request.headers().contains(InternalApi.SECRET_HEADER);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request
        && request.decoderResult().isSuccess()
        && request.uri().startsWith(InternalApi.PREFIX)) {
      Reply refusal = check(request);
      if (refusal != null) {
        refused = true;
        ReferenceCountUtil.release(msg);
        ctx.fireChannelRead(new LimitedAggregator.Refusal(refusal));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Null when the call may go on, else the refusal. */
  private static Reply check(HttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String rest = uri.substring(InternalApi.PREFIX.length(), query < 0 ? uri.length() : query);
    if (rest.equals("health") || rest.equals("services") || rest.startsWith("services/")) {
      // Open to anyone, so a secret header here proves nothing: drop it, so the body stays
      // under the public limit.
      request.headers().remove(InternalApi.SECRET_HEADER);
      return null;
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return ErrorReplies.notFound(uri.substring(0, query < 0 ? uri.length() : query));
    }
    String instance = rest.substring(0, slash);
    return InternalApi.refusal(request, instance, HttpServers.findInstance(instance));
  }
}
