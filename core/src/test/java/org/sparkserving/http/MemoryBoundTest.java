package org.sparkserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;

/**
 * The worst-case memory formula of README ("Limits") holds: a server with small limits, flooded by
 * clients that send big bodies the query never answers and by pipelining clients that never read
 * their (big) replies, holds no more heap and direct memory than the formula allows, while a good
 * client is still served.
 */
class MemoryBoundTest {

  private static final int THREADS = 2;
  private static final int MAX_REQUEST_BYTES = 128 << 10;
  private static final int REPLY_BYTES = 64 << 10;
  private static final ServerLimits LIMITS =
      new ServerLimits(40, 20_000, 20_000, 4, 32 << 10, 2 << 20, 256 << 10, 1024);

  /**
   * README's formula: maxPendingBytes + serverThreads x (maxRequestBytes + 64 KiB) + maxConnections
   * x (2 x maxHeaderBytes + maxOutboundBytes + 2 KiB + maxPipelinedRequests x largest reply).
   */
  static long formula(ServerLimits l, int threads, long maxRequestBytes, long largestReply) {
    return l.maxPendingBytes()
        + threads * (maxRequestBytes + (64 << 10))
        + (long) l.maxConnections()
            * (2L * l.maxHeaderBytes()
                + l.maxOutboundBytes()
                + (2 << 10)
                + l.maxPipelinedRequests() * largestReply);
  }

  /** What the pools and the JVM may hold beyond the server's own: Netty's chunk sizes and noise. */
  private static final long SLACK = 24L << 20;

  @Test
  void floodedServerStaysUnderTheFormulaAndServesAGoodClient() throws Exception {
    ServingEndpoint endpoint =
        HttpServers.open(
            "svc",
            "127.0.0.1",
            0,
            new EndpointLimits(100_000, MAX_REQUEST_BYTES, 60_000, LIMITS),
            THREADS);
    int port = URI.create(endpoint.url()).getPort();
    byte[] bigReply = new byte[REPLY_BYTES];
    List<Thread> attackers = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    long before = memory();
    // The "query" answers only requests marked fast; the flood's bodies wait for replies.
    try (AutoReplier replier =
        new AutoReplier(
            endpoint,
            r ->
                r.query() != null && r.query().contains("fast")
                    ? new Reply(200, Reply.BINARY, Map.of(), bigReply)
                    : null)) {
      String big =
          "POST /svc HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + MAX_REQUEST_BYTES
              + "\r\n\r\n"
              + "b".repeat(MAX_REQUEST_BYTES);
      String small = "POST /svc?fast HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\ns";
      for (int i = 0; i < 30; i++) {
        attackers.add(attack(port, big, 20, sockets, false)); // 75 MB of bodies offered
      }
      for (int i = 0; i < 8; i++) {
        attackers.add(attack(port, small, 200, sockets, true)); // 100 MB of replies asked for
      }
      for (Thread t : attackers) {
        t.join(60_000);
      }
      Await.until(
          Duration.ofSeconds(30),
          "non-reading clients paused",
          () -> endpoint.status().getOrDefault("server.pausedConnections", 0L) >= 8);

      // A good client is still served while the attackers hold their connections.
      boolean served = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!served && System.nanoTime() < deadline) {
        try (RawHttp good = new RawHttp(port)) {
          served = good.send(small).read().status() == 200;
        } catch (IOException e) {
          // refused (connection cap) or closed (503): try again
        }
      }
      assertThat(served).as("good client served during the flood").isTrue();

      long used = memory() - before;
      System.err.printf(
          "MemoryBoundTest: %d bytes held under attack, formula %d, status %s%n",
          used, formula(LIMITS, THREADS, MAX_REQUEST_BYTES, REPLY_BYTES), endpoint.status());
      long bound = formula(LIMITS, THREADS, MAX_REQUEST_BYTES, REPLY_BYTES);
      assertThat(used)
          .as("heap + direct memory held under attack (bound %d + slack %d)", bound, SLACK)
          .isLessThan(bound + SLACK);
      assertThat(endpoint.status().get("server.pendingBytes"))
          .isLessThanOrEqualTo(LIMITS.maxPendingBytes());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      endpoint.stop(ErrorReplies.stopped("svc"));
    }
  }

  /** A connection that sends {@code count} copies of {@code request} and never reads. */
  private static Thread attack(
      int port, String request, int count, List<Socket> sockets, boolean smallReceiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (smallReceiveBuffer) {
      socket.setReceiveBufferSize(4096);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    synchronized (sockets) {
      sockets.add(socket);
    }
    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
    Thread t =
        new Thread(
            () -> {
              try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < count; i++) {
                  out.write(bytes);
                }
                out.flush();
              } catch (IOException e) {
                // closed by the server (503, or stalled): what an attacker gets
              }
            },
            "attacker");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Heap after a full collection plus Netty's direct memory. */
  private static long memory() {
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = PlatformDependent.usedDirectMemory();
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      direct = Math.max(direct, p.metric().usedDirectMemory());
    }
    return heap + Math.max(direct, 0);
  }
}
