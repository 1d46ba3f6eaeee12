package org.sparkserving.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * Calls between the driver and executor JVMs on a real cluster: large replies crossing JVMs, a hung
 * executor, and continuous partitions that read a remote server.
 */
class CrossJvmCallsIT extends ClusterTestBase {

  private static DataStreamReader reader(String name, String mode) {
    return spark
        .readStream()
        .format("serving")
        .option("name", name)
        .option("port", "0")
        .option("mode", mode);
  }

  private static Dataset<Row> requests(String name, String mode) {
    return reader(name, mode).load();
  }

  /** The id of the executor that evaluates it. */
  private static final UserDefinedFunction EXECUTOR_ID =
      udf((UDF0<String>) () -> SparkEnv.get().executorId(), DataTypes.StringType)
          .asNondeterministic();

  @Test
  void largeRepliesCrossingJvmsAreAllDelivered() throws Exception {
    int replyBytes = 64 * 1024;
    // Head-node mode: the server is on the driver, the tasks on the executors, so every reply
    // crosses JVMs, many per internal call.
    StreamingQuery query =
        serve(
            requests("large_replies", "head")
                .withColumn("reply", concat(col("value"), repeat(lit("x"), replyBytes))),
            "reply");
    String url = awaitEndpoints("large_replies", 1).get(0);
    String pad = "x".repeat(replyBytes);
    Clients.assertEachGetsItsOwnReply(url, 16, 2000, body -> body + pad);

    Await.until(
        Duration.ofSeconds(60),
        "a progress report with the sink's counters",
        () ->
            query.lastProgress() != null
                && query.lastProgress().sink().metrics().containsKey("undeliveredReplies"));
    long undelivered = 0;
    for (StreamingQueryProgress p : query.recentProgress()) {
      undelivered =
          Math.max(
              undelivered,
              Long.parseLong(p.sink().metrics().getOrDefault("undeliveredReplies", "0")));
    }
    assertThat(undelivered).isZero();
  }

  @Test
  void aHungExecutorDoesNotStallTheOthersAndServesAgainAfterItResumes() throws Exception {
    StreamingQuery query =
        serve(
            requests("hung_api", "distributed")
                .withColumn(
                    "reply",
                    when(col("value").equalTo("who"), EXECUTOR_ID.apply())
                        .otherwise(concat(col("value"), lit("!")))),
            "reply");
    List<String> urls = awaitEndpoints("hung_api", 2);
    // Which executor serves which URL: the reply names the JVM that answered.
    Map<String, String> executorOf = new HashMap<>();
    for (String url : urls) {
      executorOf.put(url, Http.post(url, "who").body());
    }
    ProcessHandle hung = cluster.executors().get(0);
    String hungId = org.sparkserving.testing.StandaloneCluster.executorId(hung);
    String hungUrl =
        urls.stream().filter(u -> executorOf.get(u).equals(hungId)).findFirst().orElseThrow();
    String liveUrl = urls.stream().filter(u -> !u.equals(hungUrl)).findFirst().orElseThrow();

    ExecutorLossIT.Load load = new ExecutorLossIT.Load(List.of(liveUrl), 4);
    long stoppedAt;
    long resumedAt;
    long servedWhileHung;
    try {
      load.awaitCorrect(liveUrl, 20);
      stoppedAt = System.nanoTime();
      new ProcessBuilder("kill", "-STOP", Long.toString(hung.pid())).start().waitFor();
      try {
        long before = load.correct.get(liveUrl).get();
        // The other executor keeps answering while this one is hung.
        load.awaitCorrect(liveUrl, before + 40);
        // Stay hung a while: triggers must not keep paying for it.
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        Await.until(Duration.ofSeconds(30), "8 s hung", () -> System.nanoTime() > until);
        servedWhileHung = load.correct.get(liveUrl).get() - before;
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(hung.pid())).start().waitFor();
        resumedAt = System.nanoTime();
      }
      // After it resumes, the executor serves again.
      Clients.assertEachGetsItsOwnReply(hungUrl, 2, 10, body -> body + "!");
    } finally {
      load.stop();
    }
    assertThat(load.outcomes.stream().filter(o -> !o.correct()).toList())
        .as("every client of the live executor answered correctly")
        .isEmpty();

    // Which triggers the hung executor delayed: their status round waited a call timeout.
    long delayedUntilMs = 0;
    long slowTriggers = 0;
    long triggers = 0;
    long longestTriggerMs = 0;
    long stoppedEpochMs = System.currentTimeMillis() - (System.nanoTime() - stoppedAt) / 1_000_000L;
    long resumedEpochMs = System.currentTimeMillis() - (System.nanoTime() - resumedAt) / 1_000_000L;
    for (StreamingQueryProgress p : query.recentProgress()) {
      long startMs = java.time.Instant.parse(p.timestamp()).toEpochMilli();
      long totalMs = p.durationMs().getOrDefault("triggerExecution", 0L);
      if (startMs + totalMs < stoppedEpochMs || startMs > resumedEpochMs) {
        continue;
      }
      triggers++;
      longestTriggerMs = Math.max(longestTriggerMs, totalMs);
      if (p.durationMs().getOrDefault("latestOffset", 0L) >= 900) {
        slowTriggers++;
      }
      if (totalMs >= 900) {
        delayedUntilMs = Math.max(delayedUntilMs, startMs + totalMs - stoppedEpochMs);
      }
    }
    System.out.printf(
        "Hung executor for %d ms: %d replies from the other one, %d triggers (longest %d ms),"
            + " %d with a status round of a call timeout; the last trigger of 900 ms or more"
            + " ended %d ms after SIGSTOP%n",
        (resumedAt - stoppedAt) / 1_000_000L,
        servedWhileHung,
        triggers,
        longestTriggerMs,
        slowTriggers,
        delayedUntilMs);
    assertThat(slowTriggers).as("triggers delayed by the hung executor").isLessThanOrEqualTo(3);
  }

  @Test
  void continuousPartitionsReadingARemoteServerLongPollAndARestartServesAgain() throws Exception {
    Path checkpoint = SparkServingTestBase.tempDir("continuous-remote");
    StreamingQuery first = continuous(checkpoint);
    String url = awaitEndpoints("remote_continuous", 1).get(0);
    Clients.assertEachGetsItsOwnReply(url, 8, 200, b -> "c:" + b);

    // Idle: each partition's reader long-polls the driver's server, about once a second.
    ServingEndpoint server = HttpServers.liveEndpoints().get(0);
    long before = server.metrics().requestsCalls();
    long start = System.nanoTime();
    Await.until(
        Duration.ofSeconds(10), "3 idle seconds", () -> System.nanoTime() - start > 3_000_000_000L);
    long idleCalls = server.metrics().requestsCalls() - before;
    System.out.printf("Idle continuous partitions (2) made %d requests calls in 3 s%n", idleCalls);
    assertThat(idleCalls).isLessThan(30);

    first.stop();
    continuous(checkpoint);
    String again = awaitEndpoints("remote_continuous", 1).get(0);
    Clients.assertEachGetsItsOwnReply(again, 8, 200, b -> "c:" + b);
  }

  private static StreamingQuery continuous(Path checkpoint) throws Exception {
    return reader("remote_continuous", "head")
        .option("numPartitions", "2")
        .load()
        .withColumn("reply", concat(lit("c:"), col("value")))
        .writeStream()
        .format("serving")
        .option("replyCol", "reply")
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.Continuous("2 seconds"))
        .start();
  }
}
