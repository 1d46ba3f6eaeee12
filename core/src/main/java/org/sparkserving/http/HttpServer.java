package org.sparkserving.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Netty HTTP/1.1 server bound to one host and port. Several services (paths) may share it; it
 * closes when the last one leaves. Obtain servers through {@link HttpServers}.
 *
 * <p>Bind vs advertise: the public listener is where {@code host} says. Other JVMs of the
 * application call the server at {@link #internalAddress()}: the public address when other hosts
 * can reach it, else (a loopback {@code host} in a cluster) a second listener on the JVM's {@link
 * PeerAddress} that serves only {@code /_serving/...} and answers 404 to service paths, so that
 * {@code host=localhost} keeps its meaning for clients.
 */
public final class HttpServer {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private final String host;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel channel;
  private final int port;
  private final String advertisedAddress;
  private final Map<String, ServingEndpoint> endpoints = new ConcurrentHashMap<>();
  private final InternalApi internalApi = new InternalApi(this);
  private final AtomicInteger holders = new AtomicInteger();
  private final ServerLimits limits;
  private final ConnectionMetrics connectionMetrics = new ConnectionMetrics();
  private final ByteBudget bodyBudget;

  /** Marks the connections of the internal-only listener (see {@link #internalAddress()}). */
  static final AttributeKey<Boolean> INTERNAL_ONLY = AttributeKey.valueOf("servingInternalOnly");

  /** The internal-only listener, or null when the public one is reachable by other JVMs. */
  private final Channel internalChannel;

  private final String internalAddress;

  /**
   * @param peer where other JVMs reach this one, or null when no other JVM calls it (local mode)
   */
  @SuppressWarnings(
      "deprecation") // NioEventLoopGroup: the one event loop API Netty 4.1 and 4.2 share
  HttpServer(
      String host, int requestedPort, int workerThreads, ServerLimits limits, PeerAddress peer)
      throws InterruptedException {
    this.host = host;
    this.limits = limits;
    this.bodyBudget = new ByteBudget(limits.maxPendingBytes());
    String label = "serving-http-" + (requestedPort == 0 ? "any" : requestedPort);
    this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory(label + "-accept", true));
    this.workerGroup = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory(label, true));
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .handler(new ConnectionCap(limits.maxConnections(), connectionMetrics))
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(
                      limits.maxOutboundBytes() / 2, limits.maxOutboundBytes()))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      int maxHeader = limits.maxHeaderBytes();
                      ch.pipeline()
                          .addLast(
                              new ConnectionTimeouts(
                                  limits.idleTimeoutMs(),
                                  limits.requestReadTimeoutMs(),
                                  connectionMetrics))
                          .addLast(new HttpServerCodec(maxHeader, maxHeader, 8192))
                          .addLast(new HttpServerKeepAliveHandler())
                          .addLast(new InternalCallGate())
                          .addLast(new LimitedAggregator(HttpServer.this))
                          .addLast(new ServingConnection(HttpServer.this));
                    }
                  });
      this.channel = bootstrap.bind(host, requestedPort).sync().channel();
      this.internalChannel =
          needsInternalListener(host, peer)
              ? bootstrap
                  .clone()
                  .childAttr(INTERNAL_ONLY, true)
                  .bind(peer.bindHost(), 0)
                  .sync()
                  .channel()
              : null;
    } catch (RuntimeException | InterruptedException e) {
      // Shutting the loops down also closes any listener already bound.
      bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    this.advertisedAddress = advertisedHost(host, peer) + ":" + port;
    this.internalAddress =
        internalChannel == null
            ? advertisedAddress
            : peer.host() + ":" + ((InetSocketAddress) internalChannel.localAddress()).getPort();
  }

  /** A loopback public listener is out of reach of the other hosts of a cluster. */
  private static boolean needsInternalListener(String host, PeerAddress peer) {
    return peer != null && PeerAddress.isLoopback(host) && !PeerAddress.isLoopback(peer.host());
  }

  private static String advertisedHost(String host, PeerAddress peer) {
    if (!PeerAddress.isWildcard(host)) {
      return host;
    }
    if (peer != null) {
      return peer.host();
    }
    String local = System.getenv("SPARK_LOCAL_IP");
    if (local != null && !local.isEmpty()) {
      return local;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  public String host() {
    return host;
  }

  /** The port actually bound (the chosen one when 0 was asked for). */
  public int port() {
    return port;
  }

  /** {@code host:port} of the public listener, as clients call it. */
  public String advertisedAddress() {
    return advertisedAddress;
  }

  /**
   * {@code host:port} where the other JVMs of the application make internal calls: the public
   * address, or the internal-only listener's when the public one is on loopback in a cluster.
   */
  public String internalAddress() {
    return internalAddress;
  }

  /** The limits of this server: those of the service that started it. */
  ServerLimits limits() {
    return limits;
  }

  ConnectionMetrics connectionMetrics() {
    return connectionMetrics;
  }

  /** Request body bytes held now, against maxPendingBytes. */
  ByteBudget bodyBudget() {
    return bodyBudget;
  }

  /** Connections open now. */
  int openConnections() {
    return connectionMetrics.open.get();
  }

  String scheme() {
    return "http";
  }

  InternalApi internalApi() {
    return internalApi;
  }

  Collection<ServingEndpoint> endpoints() {
    return endpoints.values();
  }

  /** The service whose path is the first segment of {@code path}, or null. */
  ServingEndpoint route(String path) {
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.indexOf('/', start);
    String name = end < 0 ? path.substring(start) : path.substring(start, end);
    return endpoints.get(name);
  }

  /** The largest body any service on this server accepts; the aggregator's hard limit. */
  int maxRequestBytes() {
    long max = 0;
    for (ServingEndpoint e : endpoints.values()) {
      max = Math.max(max, e.limits().maxRequestBytes());
    }
    return (int) Math.min(Math.max(max, 1), Integer.MAX_VALUE - 1);
  }

  ServingEndpoint register(String name, InstanceIdentity identity, EndpointLimits limits) {
    ServingEndpoint endpoint =
        new ServingEndpoint(name, identity, limits, this, workerGroup.next());
    ServingEndpoint previous = endpoints.putIfAbsent(name, endpoint);
    if (previous != null) {
      throw new IllegalStateException(
          "A service named '"
              + name
              + "' already runs at "
              + previous.url()
              + "; stop its query first or choose another name or port");
    }
    HttpServers.registerEndpoint(endpoint);
    return endpoint;
  }

  void unregister(ServingEndpoint endpoint) {
    if (endpoints.remove(endpoint.name(), endpoint)) {
      HttpServers.unregisterEndpoint(endpoint);
      HttpServers.release(this);
    }
  }

  /** Keeps the server open without a service, for the driver's registry endpoint. */
  void hold() {
    holders.incrementAndGet();
  }

  void unhold() {
    holders.decrementAndGet();
  }

  boolean isIdle() {
    return endpoints.isEmpty() && holders.get() == 0;
  }

  /** Closes the listening socket and every connection; returns once the port is free. */
  void close() {
    channel.close().syncUninterruptibly();
    if (internalChannel != null) {
      internalChannel.close().syncUninterruptibly();
    }
    // Netty closes a loop's channels before running its queued tasks once shutdown begins, so
    // first let every loop run what is queued: the final replies of the stopping services.
    for (EventExecutor loop : workerGroup) {
      loop.submit(() -> {}).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    // A short quiet period lets replies queued by stopping services reach their clients.
    workerGroup.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    LOG.info(
        "Serving HTTP server on {}{} stopped",
        advertisedAddress,
        internalChannel == null ? "" : " (internal calls on " + internalAddress + ")");
  }

  @Override
  public String toString() {
    return "HttpServer[" + advertisedAddress + "]";
  }
}
