package org.sparkserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;

/**
 * Thousands of mutated requests over raw sockets (a fixed seed, so a failure reproduces): every
 * connection ends (answered, refused or closed, never hung), every answer is well-formed HTTP with
 * an expected status, a good request is answered after each batch, and at the end the server holds
 * no connection, request or byte of them.
 */
class HttpFuzzTest {

  private static final int BATCHES = 4;
  private static final int PER_BATCH = 500;
  private static final Set<Integer> EXPECTED =
      Set.of(100, 200, 400, 403, 404, 410, 413, 414, 417, 431, 503);

  @Test
  void mutatedRequestsNeverHangLeakOrStopTheServer() throws Exception {
    ServerLimits limits = new ServerLimits(200, 150, 300, 8, 64 << 10, 1 << 20, 64 << 10, 2048);
    ServingEndpoint endpoint =
        HttpServers.open("svc", "127.0.0.1", 0, new EndpointLimits(1000, 4096, 10_000, limits), 2);
    int port = URI.create(endpoint.url()).getPort();
    List<byte[]> seeds = seeds(endpoint.instanceId());
    Random random = new Random(11);
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (AutoReplier replier = new AutoReplier(endpoint, r -> Reply.text("ok"))) {
      for (int batch = 0; batch < BATCHES; batch++) {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < PER_BATCH; i++) {
          byte[] request = mutate(seeds.get(random.nextInt(seeds.size())), random);
          boolean halfClose = random.nextInt(20) != 0;
          sent.add(pool.submit(() -> exchange(port, request, halfClose, seen)));
        }
        for (Future<?> f : sent) {
          f.get();
        }
        try (RawHttp good = new RawHttp(port)) {
          RawHttp.Response reply =
              good.send("POST /svc HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\ngood").read();
          assertThat(reply.body()).as("good request after batch %d", batch).isEqualTo("ok");
        }
      }
      Await.until(
          Duration.ofSeconds(20),
          "every connection closed",
          () -> endpoint.status().get("server.connections") == 0);
      Await.until(Duration.ofSeconds(20), "no request held", () -> endpoint.pending() == 0);
      Await.until(
          Duration.ofSeconds(20),
          "no byte held",
          () -> endpoint.status().get("server.pendingBytes") == 0);
    } finally {
      pool.shutdownNow();
      endpoint.stop(ErrorReplies.stopped("svc"));
    }
    assertThat(EXPECTED).containsAll(seen);
  }

  /** Sends one mutated request and reads until the server ends the connection. */
  private static Void exchange(int port, byte[] request, boolean halfClose, Set<Integer> seen)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      try {
        socket.getOutputStream().write(request);
        if (halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        return null; // closed while we wrote: refused early
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          got.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "connection neither answered nor closed for: "
                + new String(request, StandardCharsets.ISO_8859_1),
            e);
      } catch (IOException e) {
        // reset by the server
      }
      for (String line : got.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
        if (line.startsWith("HTTP/1.1 ")) {
          int status = Integer.parseInt(line.substring(9, 12));
          seen.add(status);
        }
      }
      String text = got.toString(StandardCharsets.ISO_8859_1);
      if (!text.isEmpty()) {
        assertThat(text).as("response to a mutated request").startsWith("HTTP/1.1 ");
      }
    }
    return null;
  }

  private static List<byte[]> seeds(String instance) {
    List<String> s = new ArrayList<>();
    s.add("GET /svc HTTP/1.1\r\nHost: x\r\n\r\n");
    s.add("POST /svc?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    s.add(
        "POST /svc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n");
    s.add("POST /svc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");
    s.add(
        "POST /svc HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
            + "GET /svc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.add("GET /_serving/health HTTP/1.1\r\nHost: x\r\n\r\n");
    s.add(
        "POST /_serving/"
            + instance
            + "/replies HTTP/1.1\r\nHost: x\r\nX-Serving-Secret: nope\r\nContent-Length: 4\r\n\r\n"
            + "\0\0\0\0");
    s.add("GET /nothing HTTP/1.0\r\n\r\n");
    List<byte[]> out = new ArrayList<>();
    for (String seed : s) {
      out.add(seed.getBytes(StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static final String[] TOKENS = {
    "\r\n",
    "\r\n\r\n",
    ":",
    " ",
    "\t",
    "0",
    "-1",
    "99999999999",
    "\0",
    "\n",
    "Content-Length: ",
    "Transfer-Encoding: chunked\r\n",
    "Expect: 100-continue\r\n",
    "Host: y\r\n",
    "HTTP/1.1",
    "/_serving/",
    "%00",
    "\u00ff",
    "GET / HTTP/1.1\r\n"
  };

  private static byte[] mutate(byte[] seed, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      int at = random.nextInt(b.length + 1);
      out.reset();
      switch (random.nextInt(5)) {
        case 0 -> { // flip a byte
          if (b.length > 0) {
            b[Math.min(at, b.length - 1)] = (byte) random.nextInt(256);
          }
          continue;
        }
        case 1 -> { // insert a token
          out.write(b, 0, at);
          out.writeBytes(
              TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
          out.write(b, at, b.length - at);
        }
        case 2 -> { // delete a range
          int len = Math.min(b.length - at, random.nextInt(8));
          out.write(b, 0, at);
          out.write(b, at + len, b.length - at - len);
        }
        case 3 -> { // duplicate a range
          int len = Math.min(b.length - at, random.nextInt(40));
          out.write(b, 0, at + len);
          out.write(b, at, b.length - at);
        }
        default -> out.write(b, 0, at); // truncate
      }
      b = out.toByteArray();
    }
    return b;
  }
}
