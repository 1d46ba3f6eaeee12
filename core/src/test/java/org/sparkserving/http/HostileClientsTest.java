package org.sparkserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;

/**
 * Clients as an attacker would write them, against a real server with small limits (a 50-connection
 * cap, timeouts in hundreds of milliseconds): each limit holds and the server keeps serving.
 */
class HostileClientsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Small limits; tests change one or two. */
  private static final ServerLimits SMALL =
      new ServerLimits(50, 30_000, 30_000, 8, 64 << 10, 1 << 20, 256 << 10, 1024);

  private ServingEndpoint endpoint;
  private int port;

  private void open(long maxRequestBytes, ServerLimits limits) {
    endpoint =
        HttpServers.open(
            "svc", "127.0.0.1", 0, new EndpointLimits(1000, maxRequestBytes, 30_000, limits), 2);
    port = URI.create(endpoint.url()).getPort();
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.stop(ErrorReplies.stopped("svc"));
    }
  }

  private long stat(String name) {
    return endpoint.status().getOrDefault(name, -1L);
  }

  private static ServerLimits timeouts(long idleMs, long readMs) {
    return new ServerLimits(
        SMALL.maxConnections(),
        idleMs,
        readMs,
        SMALL.maxPipelinedRequests(),
        SMALL.maxOutboundBytes(),
        SMALL.maxPendingBytes(),
        SMALL.maxInternalRequestBytes(),
        SMALL.maxHeaderBytes());
  }

  private static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private void assertServes() throws IOException {
    try (AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text("ok"));
        RawHttp good = new RawHttp(port)) {
      assertThat(good.send(post("/svc", "good")).read().body()).isEqualTo("ok");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  // 1. Connections and time

  @Test
  void connectionsBeyondTheCapAreClosedAtAcceptAndCounted() throws Exception {
    open(1024, SMALL);
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        idle.add(new Socket("127.0.0.1", port));
      }
      Await.until(WAIT, "50 connections open", () -> stat("server.connections") == 50);
      for (int i = 0; i < 5; i++) {
        try (RawHttp extra = new RawHttp(port)) {
          assertThat(extra.closedByServer()).as("connection %d over the cap closed", i).isTrue();
        }
      }
      assertThat(stat("server.refusedConnections")).isEqualTo(5);
      assertThat(stat("server.connections")).isEqualTo(50);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    Await.until(WAIT, "connections closed", () -> stat("server.connections") == 0);
    assertServes();
  }

  @Test
  void idleConnectionsAreClosedAndCounted() throws Exception {
    open(1024, timeouts(200, 10_000));
    try (RawHttp silent = new RawHttp(port);
        RawHttp keptAlive = new RawHttp(port);
        AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text("ok"))) {
      assertThat(keptAlive.send(post("/svc", "a")).read().body()).isEqualTo("ok");
      assertThat(silent.closedByServer()).isTrue();
      assertThat(keptAlive.closedByServer()).isTrue();
    }
    assertThat(stat("server.closedIdle")).isEqualTo(2);
    Await.until(WAIT, "connections closed", () -> stat("server.connections") == 0);
  }

  @Test
  void aConnectionWaitingForItsReplyIsNotIdle() throws Exception {
    open(1024, timeouts(100, 10_000));
    try (RawHttp client = new RawHttp(port)) {
      client.send(post("/svc", "slow query"));
      Await.until(WAIT, "admitted", () -> endpoint.lastSeq() == 1);
      Thread.sleep(600); // six idle timeouts while the query works on the request
      endpoint.reply(1, Reply.text("late but fine"));
      assertThat(client.read().body()).isEqualTo("late but fine");
    }
    assertThat(stat("server.closedIdle")).isZero();
  }

  @Test
  void slowlorisIsClosedWhenTheRequestTakesTooLong() throws Exception {
    open(1024, timeouts(10_000, 300));
    byte[] head =
        "GET /svc HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            .getBytes(StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    AtomicBoolean writeFailed = new AtomicBoolean();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < head.length && !writeFailed.get(); i++) {
        try {
          out.write(head[i]);
          out.flush();
        } catch (IOException e) {
          writeFailed.set(true);
        }
        if (stat("server.closedSlow") == 1) {
          break;
        }
        Thread.sleep(20); // one byte every 20 ms: never idle, never done
      }
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(stat("server.closedSlow")).as("closed as too slow").isEqualTo(1);
    assertThat(elapsedMs).as("not before requestReadTimeout").isGreaterThanOrEqualTo(300);
    assertThat(stat("server.closedIdle")).isZero();
    assertThat(endpoint.lastSeq()).isZero();
  }

  // 2. Protocol: refusals in order, then close

  @Test
  void expectOverTheLimitIsRefusedInTurnAndTheBodyIsNeverExecuted() throws Exception {
    open(1024, SMALL);
    String smuggled = "PUT /svc/smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz";
    try (RawHttp client = new RawHttp(port)) {
      // The "body" sent at once, without waiting for 100 Continue, is a request of its own;
      // with it in the same packet the server parses it before it could stop reading.
      client.send(
          post("/svc", "a")
              + "POST /svc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2000\r\n\r\n"
              + smuggled);
      Await.until(WAIT, "first admitted", () -> endpoint.lastSeq() >= 1);
      client.send(smuggled); // and once more after the refusal
      endpoint.reply(1, Reply.text("first"));

      RawHttp.Response first = client.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("first");
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.body()).contains("\"status\":413");
      assertThat(refused.headers()).containsEntry("connection", "close");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(endpoint.lastSeq()).as("the smuggled request was not admitted").isEqualTo(1);
  }

  @Test
  void unknownExpectationGets417AndClose() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send(
          "POST /svc HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 5\r\n\r\nhello"
              + "GET /svc/smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(417);
      assertThat(refused.body()).contains("200-ok");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(endpoint.lastSeq()).isZero();
  }

  @Test
  void expectContinueWithinTheLimitGetsContinueThenTheReply() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port);
        AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text(new String(r.body())))) {
      client.send(
          "POST /svc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(100);
      client.send("hello");
      RawHttp.Response reply = client.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("hello");
    }
  }

  @Test
  void badChunkGets400AndCloseAndNothingAfterIsExecuted() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send(
          "POST /svc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"
              + post("/svc", "after"));
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body()).contains("\"status\":400");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(endpoint.lastSeq()).isZero();
  }

  @Test
  void badHeaderGets400AndClose() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send("GET /svc HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n" + post("/svc", "after"));
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body()).contains("\"error\"");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(endpoint.lastSeq()).isZero();
  }

  @Test
  void http11WithoutHostGets400AndClose() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send("POST /svc HTTP/1.1\r\nContent-Length: 1\r\n\r\na");
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body()).contains("Host");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(endpoint.lastSeq()).isZero();
  }

  @Test
  void oversizedHeadersGet431() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send("GET /svc HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n");
      RawHttp.Response refused = client.read();
      assertThat(refused.status()).isEqualTo(431);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  // 3. A client that does not read its replies

  @Test
  void aClientThatDoesNotReadIsPausedThenClosed() throws Exception {
    open(8192, new ServerLimits(50, 500, 30_000, 4, 64 << 10, 16 << 20, 256 << 10, 1024));
    byte[] bigReply = new byte[256 << 10];
    try (AutoReplier replier =
            new AutoReplier(endpoint, r -> new Reply(200, Reply.BINARY, Map.of(), bigReply));
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      String request = post("/svc", "x".repeat(4000));
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  for (int i = 0; i < 200; i++) {
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server closed the connection: expected
                }
              },
              "non-reading-pipeliner");
      writer.setDaemon(true);
      writer.start();
      Await.until(WAIT, "connection paused", () -> stat("server.pausedConnections") >= 1);
      Await.until(WAIT, "connection closed as stalled", () -> stat("server.closedStalled") == 1);
      assertThat(endpoint.lastSeq())
          .as("requests read from a client that takes no replies")
          .isLessThan(100);
      Await.until(WAIT, "connection gone", () -> stat("server.connections") == 0);
    }
    assertServes();
  }

  @Test
  void pipelinedRequestsBeyondTheCapPauseReadingUntilRepliesDrain() throws Exception {
    open(1024, SMALL); // 8 pipelined requests per connection
    try (RawHttp client = new RawHttp(port)) {
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        burst.append(post("/svc", "p".repeat(1000)));
      }
      // Three writes far apart: each lands in its own read, so the cap applies between them.
      String all = burst.toString();
      int third = all.length() / 3;
      client.send(all.substring(0, third));
      Await.until(WAIT, "paused", () -> stat("server.pausedConnections") == 1);
      client.send(all.substring(third));
      Thread.sleep(300);
      assertThat(endpoint.lastSeq()).as("admitted while paused").isLessThan(20);
      try (AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text("ok"))) {
        for (int i = 0; i < 40; i++) {
          assertThat(client.read().body()).isEqualTo("ok");
        }
      }
      assertThat(endpoint.lastSeq()).isEqualTo(40);
    }
  }

  // 4. Bytes held

  @Test
  void bodiesBeyondMaxPendingBytesGet503UntilCommitted() throws Exception {
    // 16 KB bodies: with their heads, 4 fit in the budget and 5 do not.
    open(
        16 << 10,
        new ServerLimits(50, 30_000, 30_000, 8, 64 << 10, 5 * (16 << 10), 256 << 10, 1024));
    String body = "b".repeat(16 << 10);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(endpoint.url()))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Await.until(
        WAIT, "4 refused", () -> calls.stream().filter(CompletableFuture::isDone).count() == 4);
    assertThat(endpoint.lastSeq()).isEqualTo(4);
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      if (call.isDone()) {
        assertThat(call.join().statusCode()).isEqualTo(503);
        assertThat(call.join().headers().firstValue("retry-after")).hasValue("1");
        assertThat(call.join().body()).contains("maxPendingBytes");
      }
    }
    assertThat(stat("server.pendingBytes")).isBetween(4L * body.length(), 5L * body.length());

    // A committed batch gives its bodies back while its clients still wait.
    endpoint.commit(4);
    assertThat(stat("server.pendingBytes")).isZero();
    try (AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text("ok"))) {
      for (int seq = 1; seq <= 4; seq++) {
        endpoint.reply(seq, Reply.text("ok"));
      }
      HttpResponse<String> again =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint.url()))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).isEqualTo(200);
    }
    Await.until(WAIT, "budget empty", () -> stat("server.pendingBytes") == 0);
  }

  // 5. Replies that would hang a client

  @Test
  void interimOutOfRangeAndBodyOn204RepliesAreRefusedWith500() throws Exception {
    open(1024, SMALL);
    int[] statuses = {100, 101, 199, 600, 42, 204, 304};
    try (RawHttp client = new RawHttp(port)) {
      for (int i = 0; i < statuses.length; i++) {
        client.send(post("/svc", "s"));
        int seq = i + 1;
        Await.until(WAIT, "admitted", () -> endpoint.lastSeq() == seq);
        endpoint.reply(seq, new Reply(statuses[i], Reply.TEXT, Map.of(), "body".getBytes()));
        RawHttp.Response response = client.read();
        assertThat(response.status()).as("reply with status %d", statuses[i]).isEqualTo(500);
        assertThat(response.body()).contains("status " + statuses[i]);
      }
      // Still usable: the connection was never desynchronised.
      client.send(post("/svc", "s"));
      Await.until(WAIT, "admitted", () -> endpoint.lastSeq() == statuses.length + 1);
      endpoint.reply(statuses.length + 1, new Reply(204, null, Map.of(), new byte[0]));
      assertThat(client.read().status()).isEqualTo(204);
    }
  }

  // Counters and internal calls

  @Test
  void clientsThatLeaveAreCountedAsAbandoned() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send(post("/svc", "a") + post("/svc", "b"));
      Await.until(WAIT, "admitted", () -> endpoint.lastSeq() == 2);
    }
    Await.until(WAIT, "abandoned", () -> stat("abandoned") == 2);
    assertThat(endpoint.status())
        .containsKeys(
            "server.connections",
            "server.refusedConnections",
            "server.closedIdle",
            "server.closedSlow",
            "server.closedStalled",
            "server.pausedConnections",
            "server.pendingBytes");
    Await.until(WAIT, "bodies released", () -> stat("server.pendingBytes") == 0);
  }

  @Test
  void internalCallsHaveTheirOwnLimitAndShowTheSecretBeforeTheirBody() throws Exception {
    open(1024, SMALL);
    try (RawHttp client = new RawHttp(port)) {
      client.send(post("/svc", "q"));
      Await.until(WAIT, "admitted", () -> endpoint.lastSeq() == 1);
      ReplyBatch batch = new ReplyBatch();
      batch.add(1, Reply.text("x".repeat(4000))); // a batch over the public 1 KB limit
      byte[] encoded = batch.encode();
      String path = "/_serving/" + endpoint.instanceId() + "/replies";

      try (RawHttp forger = new RawHttp(port)) {
        forger.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
        RawHttp.Response refused = forger.read();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(forger.closedByServer()).isTrue();
      }
      assertThat(endpoint.metrics().forgedCalls()).isEqualTo(1);

      HttpResponse<String> genuine =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .header(InternalApi.SECRET_HEADER, endpoint.secret())
                      .POST(HttpRequest.BodyPublishers.ofByteArray(encoded))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(genuine.statusCode()).isEqualTo(200);
      assertThat(client.read().body()).hasSize(4000);
    }
  }
}
