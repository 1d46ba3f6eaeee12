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
import org.sparkserving.testing.Http;
import org.sparkserving.testing.StandaloneCluster;

/** Killing an executor JVM under load, on a real standalone cluster. */
class ExecutorLossIT extends ClusterTestBase {

  /** What one request saw. */
  record Outcome(String url, long startNanos, long endNanos, boolean correct, String detail) {}

  /** Closed-loop clients on every URL, recording each request's outcome, until stopped. */
  static final class Load {
    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> correct = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(List<String> urls, int clientsPerUrl) {
      for (String url : urls) {
        correct.put(url, new AtomicLong());
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
}
