package org.sparkserving.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.HostBed;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.StandaloneCluster;

/**
 * Faults under load on the multi-host bed: an executor JVM killed, and an executor's host cut off
 * the network for a while.
 */
class ExecutorLossIT extends ClusterTestBase {

  /** What one request saw. */
  record Outcome(String url, long startNanos, long endNanos, boolean correct, String detail) {}

  /** Closed-loop clients on every URL, recording each request's outcome, until stopped. */
  static final class Load {
    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> correct = new ConcurrentHashMap<>();

    /** When each correct reply arrived (System.nanoTime()), per URL. */
    final Map<String, ConcurrentLinkedQueue<Long>> answeredAt = new ConcurrentHashMap<>();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(List<String> urls, int clientsPerUrl) {
      for (String url : urls) {
        correct.put(url, new AtomicLong());
        answeredAt.put(url, new ConcurrentLinkedQueue<>());
        for (int c = 0; c < clientsPerUrl; c++) {
          String client = url.hashCode() + "-" + c;
          Thread t = new Thread(() -> run(url, client), "load-" + client);
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }
      }
    }

    private void run(String url, String client) {
      for (long i = 0; running.get(); i++) {
        String body = client + "-" + i;
        long start = System.nanoTime();
        try {
          HttpResponse<String> r =
              Http.CLIENT.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(Duration.ofSeconds(90))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          boolean ok = r.statusCode() == 200 && r.body().equals(body + "!");
          if (ok) {
            correct.get(url).incrementAndGet();
            answeredAt.get(url).add(System.nanoTime());
          }
          outcomes.add(
              new Outcome(url, start, System.nanoTime(), ok, r.statusCode() + " " + r.body()));
        } catch (Exception e) {
          outcomes.add(new Outcome(url, start, System.nanoTime(), false, e.toString()));
          if (e instanceof InterruptedException) {
            return;
          }
        }
      }
    }

    void awaitCorrect(String url, long atLeast) {
      Await.until(
          Duration.ofSeconds(120),
          atLeast + " correct replies from " + url,
          () -> correct.get(url).get() >= atLeast);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(120_000);
        assertThat(t.isAlive()).as("client thread %s finished", t.getName()).isFalse();
      }
    }
  }

  @Test
  void losingAnExecutorFailsOnlyItsClientsAndItsReplacementServes() throws Exception {
    serve(
        spark
            .readStream()
            .format("serving")
            .option("name", "loss_api")
            .option("port", "0")
            .option("mode", "distributed")
            .option("replyTimeout", "60s")
            .load()
            .withColumn("reply", concat(col("value"), lit("!"))),
        "reply");
    List<String> before = awaitEndpoints("loss_api", 2);
    Load load = new Load(before, 4);
    try {
      for (String url : before) {
        load.awaitCorrect(url, 50);
      }

      ProcessHandle victim = cluster.executors().get(0);
      String victimId = StandaloneCluster.executorId(victim);
      long killedAt = System.nanoTime();
      victim.destroyForcibly();

      // The registry drops the lost executor's server...
      List<String> survivors = awaitEndpoints("loss_api", 1);
      String survivor = survivors.get(0);
      String lost = before.stream().filter(u -> !u.equals(survivor)).findFirst().orElseThrow();
      // ...the other server keeps answering...
      long servedBefore = load.correct.get(survivor).get();
      load.awaitCorrect(survivor, servedBefore + 50);
      // ...and Spark's replacement executor starts a server that joins the registry.
      Await.until(
          Duration.ofSeconds(120),
          "a replacement for executor " + victimId + " serving",
          () -> {
            List<String> now = Serving.endpoints("loss_api");
            return now.size() == 2 && now.contains(survivor) && !now.contains(lost);
          });
      load.stop();

      List<Outcome> all = new ArrayList<>(load.outcomes);
      assertThat(all.stream().filter(o -> o.url().equals(survivor) && !o.correct()).toList())
          .as("every request to the surviving executor answered correctly")
          .isEmpty();
      List<Outcome> lostOnes = all.stream().filter(o -> o.url().equals(lost)).toList();
      assertThat(lostOnes.stream().filter(o -> !o.correct()).count())
          .as("clients of the killed executor saw it go")
          .isPositive();
      for (Outcome o : lostOnes) {
        if (o.endNanos() > killedAt) {
          assertThat(Duration.ofNanos(o.endNanos() - Math.max(o.startNanos(), killedAt)))
              .as("a client of the killed executor failed fast: %s", o.detail())
              .isLessThan(Duration.ofSeconds(10));
        }
      }
    } finally {
      load.stop();
    }

    List<String> after = Serving.endpoints("loss_api");
    String replacement = after.stream().filter(u -> !before.contains(u)).findFirst().orElseThrow();
    Clients.assertEachGetsItsOwnReply(replacement, 4, 40, body -> body + "!");
    assertThat(Http.get(Serving.registryUrl("loss_api")).body())
        .contains(replacement)
        .doesNotContain(before.stream().filter(u -> !after.contains(u)).findFirst().orElseThrow());
  }

  @Test
  void aHostCutOffLeavesTheRegistryWhileTheOtherServesAndReturnsWhenHealed() throws Exception {
    awaitExecutors(2);
    long healthTimeoutMs = 3000;
    serve(
        spark
            .readStream()
            .format("serving")
            .option("name", "partition_api")
            .option("port", "0")
            .option("mode", "distributed")
            .option("registryHealthTimeout", healthTimeoutMs + "ms")
            .load()
            .withColumn("reply", concat(col("value"), lit("!"))),
        "reply");
    List<String> before = awaitEndpoints("partition_api", 2);
    HostBed.Host cutHost = cluster.workerHost(0);
    String cut =
        before.stream().filter(u -> hostOf(u).equals(cutHost.address())).findFirst().orElseThrow();
    String other = before.stream().filter(u -> !u.equals(cut)).findFirst().orElseThrow();
    String registry = Serving.registryUrl("partition_api");

    Load load = new Load(List.of(other), 4);
    long cutAt;
    long healedAt;
    long lastListedWhileCut = 0;
    try {
      load.awaitCorrect(other, 20);
      cutAt = System.nanoTime();
      bed.cut(cutHost);
      try {
        // The fault lasts 10 s; meanwhile watch what the registry (over HTTP) says.
        while (System.nanoTime() - cutAt < Duration.ofSeconds(10).toNanos()) {
          String listing = Http.get(registry).body();
          assertThat(listing).as("the registry keeps the reachable server").contains(other);
          if (listing.contains(cut)) {
            lastListedWhileCut = System.nanoTime();
          }
          Thread.sleep(100);
        }
      } finally {
        bed.heal(cutHost);
        healedAt = System.nanoTime();
      }
      // Back on the network, the cut-off executor's server is listed and serves again.
      Await.until(
          Duration.ofSeconds(120),
          "the cut-off server listed again, registry now " + Http.get(registry).body(),
          () -> Http.get(registry).body().contains(cut));
      long relistedAt = System.nanoTime();
      Clients.assertEachGetsItsOwnReply(cut, 2, 20, body -> body + "!");
      load.awaitCorrect(other, load.correct.get(other).get() + 20);
      load.stop();

      List<Long> answered = new ArrayList<>(load.answeredAt.get(other));
      long duringCut = answered.stream().filter(t -> t > cutAt && t < healedAt).count();
      long maxGapMs = maxGapMillis(answered, cutAt, healedAt);
      long unlistedAfterMs =
          lastListedWhileCut == 0 ? 0 : Duration.ofNanos(lastListedWhileCut - cutAt).toMillis();
      System.out.printf(
          "Network partition of %s for %d ms: the other server answered %d requests during it"
              + " (longest gap %d ms); the registry stopped listing the cut server %d ms after the"
              + " cut and listed it again %d ms after the heal%n",
          cutHost.address(),
          Duration.ofNanos(healedAt - cutAt).toMillis(),
          duringCut,
          maxGapMs,
          unlistedAfterMs,
          Duration.ofNanos(relistedAt - healedAt).toMillis());

      assertThat(load.outcomes.stream().filter(o -> o.url().equals(other) && !o.correct()).toList())
          .as("every request to the reachable server answered correctly")
          .isEmpty();
      assertThat(duringCut).as("requests answered during the partition").isPositive();
      // Unlisted within the health timeout, plus a probe period and a probe's own timeout.
      assertThat(unlistedAfterMs).isLessThan(healthTimeoutMs + healthTimeoutMs / 4 + 3000);
    } finally {
      load.stop();
    }
  }

  /** The longest time between consecutive answers within (from, to), or from/to an edge. */
  private static long maxGapMillis(List<Long> times, long from, long to) {
    long prev = from;
    long max = 0;
    for (long t : times.stream().filter(t -> t > from && t < to).sorted().toList()) {
      max = Math.max(max, t - prev);
      prev = t;
    }
    return Duration.ofNanos(Math.max(max, to - prev)).toMillis();
  }
}
