package org.sparkserving.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attacker of {@code bench/attack}: runs the long versions of issue 11's hostile clients, one
 * after another, against an {@link AttackServer} on 127.0.0.1, while one good client keeps sending
 * requests; then writes a Markdown table: per attack, the server's peak file descriptors, heap and
 * direct memory (from its stats file), 503s, the good client's p99 during the attack and the time
 * it took to be served normally again after the attack stopped.
 *
 * <p>Arguments: {@code <url> <stats file> <out file> [attack,...]}; attacks are {@code idle},
 * {@code slowloris}, {@code flood}, {@code pipeliner} (default: all).
 */
public final class AttackRun {

  private static final Duration BASELINE = Duration.ofSeconds(10);
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);

  private AttackRun() {}

  /** One good request's outcome. */
  private record Sample(long atNanos, long latencyNanos, int status) {}

  /** One attack's result row. */
  private record Row(
      String attack,
      String shape,
      long maxFds,
      long maxHeap,
      long maxDirect,
      long good503,
      long attack503,
      long goodErrors,
      long goodOk,
      double p99Ms,
      double recoverSeconds,
      String counters) {}

  /** An attack that runs until closed. */
  private interface Attack extends AutoCloseable {
    String shape();

    long refusals();

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    Path stats = Path.of(args[1]);
    Path out = Path.of(args[2]);
    List<String> attacks =
        args.length > 3
            ? List.of(args[3].split(","))
            : List.of("idle", "slowloris", "flood", "pipeliner");
    GoodClient good = new GoodClient(url);
    good.start();
    // A cold query takes seconds for its first reply: measure the baseline once it serves.
    long warm = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (good.count(0, Long.MAX_VALUE, 200) < 50 && System.nanoTime() < warm) {
      Thread.sleep(100);
    }
    Thread.sleep(BASELINE.toMillis());
    long now = System.nanoTime();
    double baselineP99 = good.p99Ms(now - BASELINE.toNanos(), now);
    long baselineOk = good.count(now - BASELINE.toNanos(), now, 200);
    List<Row> rows = new ArrayList<>();
    for (String name : attacks) {
      System.err.println("[attack] " + name);
      long startMs = System.currentTimeMillis();
      long start = System.nanoTime();
      Attack attack = start(name, url);
      Thread.sleep(duration(name).toMillis());
      long stop = System.nanoTime();
      attack.close();
      double recover =
          good.recoverySeconds(
              stop, Double.isNaN(baselineP99) ? 50 : Math.max(50, 3 * baselineP99));
      long endMs = System.currentTimeMillis();
      Map<String, Long> peak = peaks(stats, startMs, endMs);
      Map<String, Long> first = counters(stats, startMs, true);
      Map<String, Long> last = counters(stats, endMs, false);
      rows.add(
          new Row(
              name,
              attack.shape(),
              peak.getOrDefault("fds", -1L),
              peak.getOrDefault("heap", -1L),
              peak.getOrDefault("direct", -1L),
              good.count(start, stop, 503),
              attack.refusals(),
              good.errors(start, stop),
              good.count(start, stop, 200),
              good.p99Ms(start, stop),
              recover,
              delta(first, last)));
      System.err.println("[attack] " + rows.get(rows.size() - 1));
    }
    good.stop();
    String table = table(rows, baselineP99, baselineOk);
    System.out.print(table);
    Files.writeString(out, table, StandardCharsets.UTF_8);
    System.exit(0);
  }

  private static Duration duration(String attack) {
    return switch (attack) {
      case "idle" -> Duration.ofSeconds(30);
      case "slowloris" -> Duration.ofSeconds(45);
      case "flood" -> Duration.ofSeconds(30);
      case "pipeliner" -> Duration.ofSeconds(75);
      default -> throw new IllegalArgumentException("unknown attack " + attack);
    };
  }

  private static Attack start(String name, URI url) throws IOException {
    int port = url.getPort();
    String path = url.getPath();
    return switch (name) {
      case "idle" -> new IdleFlood(port, 19_000);
      case "slowloris" -> new Slowloris(port, path, 500);
      case "flood" -> new BodyFlood(port, path, 1500, 1 << 20);
      case "pipeliner" -> new Pipeliner(port, path, 20, 8000, 100 << 10);
      default -> throw new IllegalArgumentException("unknown attack " + name);
    };
  }

  // ---------------------------------------------------------------- the good client

  /** One client sending one request after another, recording every outcome. */
  private static final class GoodClient {
    private final URI url;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    GoodClient(URI url) {
      this.url = url;
      this.thread = new Thread(this::loop, "good-client");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(15_000);
    }

    private void loop() {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("good client"))
              .build();
      while (running.get()) {
        long t0 = System.nanoTime();
        int status;
        try {
          status = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
          status = -1;
        } catch (InterruptedException e) {
          return;
        }
        long t1 = System.nanoTime();
        samples.add(new Sample(t1, t1 - t0, status));
        if (status != 200) {
          sleep(100); // a real client backs off a little (Retry-After is 1 s; we probe faster)
        } else {
          sleep(20); // about 50 requests a second: a steady, light load
        }
      }
    }

    List<Sample> between(long from, long to) {
      List<Sample> out = new ArrayList<>();
      for (Sample s : samples) {
        if (s.atNanos() >= from && s.atNanos() <= to) {
          out.add(s);
        }
      }
      return out;
    }

    long count(long from, long to, int status) {
      return between(from, to).stream().filter(s -> s.status() == status).count();
    }

    long errors(long from, long to) {
      return between(from, to).stream().filter(s -> s.status() < 0).count();
    }

    /** The 99th percentile latency of every request that ended in the window, errors included. */
    double p99Ms(long from, long to) {
      List<Long> latencies = new ArrayList<>();
      for (Sample s : between(from, to)) {
        latencies.add(s.latencyNanos());
      }
      if (latencies.isEmpty()) {
        return Double.NaN;
      }
      Collections.sort(latencies);
      return latencies.get(
              (int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1))
          / 1e6;
    }

    /** Seconds from {@code stop} until 10 requests in a row were answered 200 within the bound. */
    double recoverySeconds(long stop, double boundMs) {
      long deadline = stop + RECOVERY_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        int streak = 0;
        for (Sample s : between(stop, Long.MAX_VALUE)) {
          if (s.status() == 200 && s.latencyNanos() / 1e6 <= boundMs) {
            if (++streak == 10) {
              return (s.atNanos() - stop) / 1e9;
            }
          } else {
            streak = 0;
          }
        }
        sleep(100);
      }
      return Double.POSITIVE_INFINITY;
    }
  }

  // ---------------------------------------------------------------- attacks

  /** Connections that each send one byte and then nothing (issue 11, item 1). */
  private static final class IdleFlood implements Attack {
    private final List<Socket> sockets = new ArrayList<>();
    private final long failed;
    private final long closedAtOnce;

    IdleFlood(int port, int count) {
      long fails = 0;
      for (int i = 0; i < count; i++) {
        try {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          s.getOutputStream().write('G');
          sockets.add(s);
        } catch (IOException e) {
          fails++;
        }
      }
      this.failed = fails;
      long closed = 0;
      for (Socket s : sockets) {
        try {
          s.setSoTimeout(1);
          if (s.getInputStream().read() < 0) {
            closed++;
          }
        } catch (IOException e) {
          // still open (read timed out), or reset
        }
      }
      this.closedAtOnce = closed;
    }

    @Override
    public String shape() {
      return sockets.size()
          + " connections opened ("
          + failed
          + " failed), "
          + closedAtOnce
          + " of them found closed by the server";
    }

    @Override
    public long refusals() {
      return 0;
    }

    @Override
    public void close() {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  /** Connections that send one header byte a second, reconnecting when closed (item 1). */
  private static final class Slowloris implements Attack {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong closedByServer = new AtomicLong();
    private final Thread thread;

    Slowloris(int port, String path, int count) {
      byte[] head =
          ("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + "X-Slow: " + "a".repeat(4000))
              .getBytes(StandardCharsets.US_ASCII);
      thread =
          new Thread(
              () -> {
                Socket[] sockets = new Socket[count];
                int[] sent = new int[count];
                while (running.get()) {
                  for (int i = 0; i < count && running.get(); i++) {
                    try {
                      if (sockets[i] == null) {
                        sockets[i] = new Socket("127.0.0.1", port);
                        sent[i] = 0;
                      }
                      sockets[i].getOutputStream().write(head[sent[i]++ % head.length]);
                    } catch (IOException e) {
                      closedByServer.incrementAndGet();
                      closeQuietly(sockets[i]);
                      sockets[i] = null;
                    }
                  }
                  sleep(1000);
                }
                for (Socket s : sockets) {
                  closeQuietly(s);
                }
              },
              "slowloris");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public String shape() {
      return "500 connections, one header byte a second each; "
          + closedByServer.get()
          + " writes found the connection closed (then reconnected)";
    }

    @Override
    public long refusals() {
      return 0;
    }

    @Override
    public void close() {
      running.set(false);
      join(thread);
    }
  }

  /** Many clients posting 1 MB bodies at once, again and again (item 4). */
  private static final class BodyFlood implements Attack {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    BodyFlood(int port, String path, int clients, int bodyBytes) {
      byte[] head =
          ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] body = new byte[bodyBytes];
      java.util.Arrays.fill(body, (byte) 'b');
      for (int c = 0; c < clients; c++) {
        Thread t =
            new Thread(
                null,
                () -> {
                  while (running.get()) {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                      s.setSoTimeout(30_000);
                      OutputStream out = s.getOutputStream();
                      out.write(head);
                      out.write(body);
                      sent.incrementAndGet();
                      int status = readStatus(s.getInputStream());
                      if (status == 503) {
                        refused.incrementAndGet();
                      } else if (status == 200) {
                        answered.incrementAndGet();
                      }
                    } catch (IOException e) {
                      // refused by closing: counted by the server
                      sleep(50);
                    }
                  }
                },
                "flood",
                256 << 10);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public String shape() {
      return threads.size()
          + " clients posting 1 MB bodies in a loop: "
          + sent.get()
          + " bodies sent, "
          + answered.get()
          + " answered 200, "
          + refused.get()
          + " 503";
    }

    @Override
    public long refusals() {
      return refused.get();
    }

    @Override
    public void close() {
      running.set(false);
      threads.forEach(AttackRun::join);
    }
  }

  /** Connections pipelining 100 KB requests without ever reading a reply (item 3). */
  private static final class Pipeliner implements Attack {
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    Pipeliner(int port, String path, int connections, int requests, int bodyBytes) {
      byte[] body = new byte[bodyBytes];
      java.util.Arrays.fill(body, (byte) 'p');
      byte[] head =
          ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      for (int c = 0; c < connections; c++) {
        Thread t =
            new Thread(
                () -> {
                  try (Socket s = new Socket()) {
                    s.setReceiveBufferSize(4096);
                    s.connect(new InetSocketAddress("127.0.0.1", port));
                    sockets.add(s);
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < requests; i++) {
                      out.write(head);
                      out.write(body);
                      written.incrementAndGet();
                    }
                    while (!s.isClosed()) {
                      sleep(100);
                    }
                  } catch (IOException e) {
                    closed.incrementAndGet();
                  }
                },
                "pipeliner");
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public String shape() {
      return threads.size()
          + " connections pipelining 100 KB requests, never reading: "
          + written.get()
          + " requests written, "
          + closed.get()
          + " connections closed by the server";
    }

    @Override
    public long refusals() {
      return 0;
    }

    @Override
    public void close() {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
      threads.forEach(AttackRun::join);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static int readStatus(InputStream in) throws IOException {
    byte[] line = new byte[12];
    int n = in.readNBytes(line, 0, 12);
    if (n < 12) {
      return -1;
    }
    return Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
  }

  private static Map<String, Long> parse(String line) {
    Map<String, Long> out = new HashMap<>();
    for (String kv : line.split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        try {
          out.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        } catch (NumberFormatException e) {
          // not a number (active=true)
        }
      }
    }
    return out;
  }

  private static List<Map<String, Long>> lines(Path stats) throws IOException {
    List<Map<String, Long>> out = new ArrayList<>();
    for (String line : Files.readAllLines(stats, StandardCharsets.UTF_8)) {
      out.add(parse(line));
    }
    return out;
  }

  private static Map<String, Long> peaks(Path stats, long fromMs, long toMs) throws IOException {
    Map<String, Long> peak = new HashMap<>();
    for (Map<String, Long> l : lines(stats)) {
      long t = l.getOrDefault("t", 0L);
      if (t >= fromMs && t <= toMs) {
        l.forEach((k, v) -> peak.merge(k, v, Math::max));
      }
    }
    return peak;
  }

  /** The first sample at or after {@code atMs}, or the last before it. */
  private static Map<String, Long> counters(Path stats, long atMs, boolean first)
      throws IOException {
    Map<String, Long> found = Map.of();
    for (Map<String, Long> l : lines(stats)) {
      found = l;
      if (first && l.getOrDefault("t", 0L) >= atMs) {
        break;
      }
    }
    return found;
  }

  private static String delta(Map<String, Long> first, Map<String, Long> last) {
    StringBuilder out = new StringBuilder();
    for (String k :
        List.of(
            "server.refusedConnections",
            "server.closedIdle",
            "server.closedSlow",
            "server.closedStalled",
            "server.pausedConnections",
            "server.refusedBodies",
            "rejected",
            "abandoned",
            "timedOut")) {
      long d = last.getOrDefault(k, 0L) - first.getOrDefault(k, 0L);
      if (d != 0) {
        out.append(out.length() == 0 ? "" : ", ")
            .append(k.replace("server.", ""))
            .append(' ')
            .append(d);
      }
    }
    return out.toString();
  }

  private static String table(List<Row> rows, double baselineP99, long baselineOk) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "Good client alone (%d s before the attacks): p99 %.1f ms, %d requests answered 200.%n%n",
            BASELINE.toSeconds(),
            baselineP99,
            baselineOk));
    t.append(
        "| attack | peak fds | peak heap | peak direct | 503 (good / attack) | good client: 200 / errors"
            + " | good p99 during attack | time to recover | server counters during the attack |\n");
    t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Row r : rows) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d MB | %d MB | %d / %d | %d / %d | %.0f ms | %s | %s |%n",
              r.attack(),
              r.maxFds(),
              r.maxHeap() >> 20,
              r.maxDirect() >> 20,
              r.good503(),
              r.attack503(),
              r.goodOk(),
              r.goodErrors(),
              r.p99Ms(),
              Double.isInfinite(r.recoverSeconds())
                  ? "> " + RECOVERY_LIMIT.toSeconds() + " s"
                  : String.format(Locale.ROOT, "%.1f s", r.recoverSeconds()),
              r.counters()));
    }
    t.append("\nShapes:\n\n");
    for (Row r : rows) {
      t.append("- ").append(r.attack()).append(": ").append(r.shape()).append('\n');
    }
    return t.toString();
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
