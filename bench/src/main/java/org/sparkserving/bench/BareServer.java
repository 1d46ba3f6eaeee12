package org.sparkserving.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP/1.1 server that answers every request at once with {@code 200 ok}: the same pipeline
 * shape as the serving library's server, with nothing behind it. Whatever it reaches is the
 * physical limit of this machine, client included, so other contenders are judged against it.
 */
public final class BareServer implements AutoCloseable {

  /** The reply body; tiny so the measurement is about request handling, not bytes. */
  public static final String REPLY = "ok";

  private static final byte[] REPLY_BYTES = REPLY.getBytes(StandardCharsets.UTF_8);
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel channel;
  private final int port;

  /**
   * Starts listening on 127.0.0.1 at a free port.
   *
   * @param workerThreads Netty event loops; the library's default on two cores is 2
   */
  // NioEventLoopGroup is deprecated in Netty 4.2 but is the one event loop API 4.1 and 4.2 share.
  @SuppressWarnings("deprecation")
  public BareServer(int workerThreads) throws InterruptedException {
    // Daemon threads: a forgotten server must never keep the benchmark's JVM alive.
    bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("bare-accept", true));
    workerGroup = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory("bare-http", true));
    ChannelHandler answer = new AnswerAtOnce();
    try {
      channel =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpServerKeepAliveHandler())
                          .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                          .addLast(answer);
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      shutdownGroups();
      throw e;
    }
    port = ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The port actually bound. */
  public int port() {
    return port;
  }

  /** The URL clients post to. */
  public String url() {
    return "http://127.0.0.1:" + port + "/bench";
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    shutdownGroups();
  }

  private void shutdownGroups() {
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Stateless, so one instance serves every connection. */
  @ChannelHandler.Sharable
  private static final class AnswerAtOnce extends SimpleChannelInboundHandler<FullHttpRequest> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(REPLY_BYTES));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
      HttpUtil.setContentLength(response, REPLY_BYTES.length);
      // Keep-alive needs nothing here: HttpServerKeepAliveHandler closes the connection after
      // this reply only if the request asked for that.
      ctx.writeAndFlush(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
