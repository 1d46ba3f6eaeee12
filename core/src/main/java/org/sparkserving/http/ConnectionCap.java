package org.sparkserving.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the listening channel, ahead of Netty's acceptor: counts open connections and closes a new one
 * at once, before it gets a pipeline or an event loop, when maxConnections are already open. The
 * server's file descriptors stay bounded, so a flood of idle connections cannot starve the JVM (and
 * the Spark query in it) of descriptors.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

  private final int maxConnections;
  private final ConnectionMetrics metrics;
  private final RejectionLog refusals = new RejectionLog(LOG);
  private final ChannelFutureListener onClose;

  ConnectionCap(int maxConnections, ConnectionMetrics metrics) {
    this.maxConnections = maxConnections;
    this.metrics = metrics;
    this.onClose = f -> metrics.open.decrementAndGet();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (metrics.open.incrementAndGet() > maxConnections) {
      metrics.open.decrementAndGet();
      metrics.refusedConnections.increment();
      child.unsafe().closeForcibly();
      refusals.record(
          ctx.channel().localAddress(),
          "refused a connection: " + maxConnections + " open (option maxConnections)");
      return;
    }
    child.closeFuture().addListener(onClose);
    ctx.fireChannelRead(child);
  }
}
