package org.sparkserving.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * First in a connection's pipeline, on raw bytes: closes a connection that is idle (nothing to
 * read, write or wait for) for idleTimeout, one that takes longer than requestReadTimeout to send
 * one whole request (slowloris: a byte now and then keeps a connection from being idle), and one
 * whose client has taken none of its queued replies for idleTimeout. One timer per connection,
 * re-armed for the nearest deadline when it fires: nothing is scheduled per request.
 *
 * <p>Every field is confined to the connection's event loop.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {

  private final long idleNanos;
  private final long requestReadNanos;
  private final ConnectionMetrics metrics;

  private ChannelHandlerContext ctx;
  private ServingConnection connection;
  private ScheduledFuture<?> timer;

  /** When bytes last came in or went out. */
  private long lastActivity;

  /** When the first byte of a request not yet complete arrived; 0 when there is none. */
  private long requestStart;

  /** Since when the channel is not writable (the client does not read); 0 when it is. */
  private long unwritableSince;

  ConnectionTimeouts(long idleTimeoutMs, long requestReadTimeoutMs, ConnectionMetrics metrics) {
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    this.requestReadNanos = TimeUnit.MILLISECONDS.toNanos(requestReadTimeoutMs);
    this.metrics = metrics;
  }

  /** Lets the check ask whether replies are outstanding or reading is paused. */
  void attach(ServingConnection connection) {
    this.connection = connection;
  }

  /** A whole request was received: the next byte starts the next request's clock. */
  void requestReceived() {
    requestStart = 0;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  private void start() {
    if (timer == null) {
      lastActivity = System.nanoTime();
      timer =
          ctx.executor()
              .schedule(this::check, Math.min(idleNanos, requestReadNanos), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    long now = System.nanoTime();
    lastActivity = now;
    if (requestStart == 0) {
      requestStart = now;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    ctx.write(msg, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    unwritableSince = ctx.channel().isWritable() ? 0 : System.nanoTime();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
    }
    super.channelInactive(ctx);
  }

  private void check() {
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    boolean paused = connection != null && connection.readingPaused();
    boolean waiting = connection != null && connection.awaitingReplies();
    if (paused && requestStart != 0) {
      // The server, not the client, holds the request back: its clock restarts on resume.
      requestStart = now;
    }
    long next = Math.min(idleNanos, requestReadNanos);
    if (unwritableSince != 0) {
      long left = idleNanos - (now - unwritableSince);
      if (left <= 0) {
        close(metrics.closedStalled);
        return;
      }
      next = Math.min(next, left);
    }
    if (requestStart != 0) {
      long left = requestReadNanos - (now - requestStart);
      if (left <= 0) {
        close(metrics.closedSlow);
        return;
      }
      next = Math.min(next, left);
    } else if (!waiting) {
      long left = idleNanos - (now - lastActivity);
      if (left <= 0) {
        close(metrics.closedIdle);
        return;
      }
      next = Math.min(next, left);
    }
    timer = ctx.executor().schedule(this::check, next, TimeUnit.NANOSECONDS);
  }

  private void close(java.util.concurrent.atomic.LongAdder counter) {
    counter.increment();
    ctx.close();
  }
}
