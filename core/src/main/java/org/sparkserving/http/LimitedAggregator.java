package org.sparkserving.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates a request's body up to the server's largest per-service limit; a larger body is not
 * buffered at all but reported to {@link ServingConnection}, which answers 413 in its turn.
 */
final class LimitedAggregator extends HttpObjectAggregator {

  LimitedAggregator(int maxContentLength) {
    super(maxContentLength);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.fireUserEventTriggered(ServingConnection.OVERSIZED);
  }
}
