package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.FailOnce;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** Continuous processing: requests answered as they arrive, not per batch. */
class ContinuousTriggerTest extends SparkServingTestBase {

  private static StreamingQuery serveContinuously(Dataset<Row> output, Path checkpoint) {
    try {
      return output
          .writeStream()
          .format("serving")
          .option("replyCol", "reply")
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.Continuous("1 second"))
          .start();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "numPartitions={0}")
  @ValueSource(ints = {1, 2})
  void concurrentClientsEachGetTheirOwnReply(int numPartitions) throws Exception {
    String name = "continuous" + numPartitions;
    serveContinuously(
        source(name)
            .option("numPartitions", String.valueOf(numPartitions))
            .load()
            .withColumn("reply", concat(lit("c:"), upper(col("value")))),
        tempDir("cont"));
    String url = urlOf(name);

    Clients.assertEachGetsItsOwnReply(url, 32, 1280, body -> "c:" + body.toUpperCase());
  }

  @Test
  void repliesComeFarSoonerThanAnEpoch() {
    serveContinuously(
        source("quick").load().withColumn("reply", upper(col("value"))), tempDir("quick"));
    String url = urlOf("quick");
    assertThat(Http.post(url, "warm").body()).isEqualTo("WARM");

    assertThat(Clients.fastestOf(url, 20, String::toUpperCase)).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void stopAnswersWaitingClientsAndFreesThePort() throws Exception {
    StreamingQuery query =
        serveContinuously(
            source("cstop")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn("reply", col("value")),
            tempDir("cs"));
    String url = urlOf("cstop");
    int port = java.net.URI.create(url).getPort();
    assertThat(Http.post(url, "ok").body()).isEqualTo("ok");
    CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    query.stop();

    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    Clients.assertPortFree(port);
  }

  @Test
  void taskFailureAnswersWaitingClientsPromptlyAndRestartServesAgain() throws Exception {
    FailOnce.register(spark);
    Path checkpoint = tempDir("cfail");
    StreamingQuery query =
        serveContinuously(
            source("fragile")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn(
                    "reply", org.apache.spark.sql.functions.callUDF("failOnce", col("value"))),
            checkpoint);
    String url = urlOf("fragile");
    assertThat(Http.post(url, "fine").body()).isEqualTo("FINE");
    CompletableFuture<HttpResponse<String>> bystander = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    long start = System.nanoTime();
    HttpResponse<String> failed = Http.post(url, "boom");
    HttpResponse<String> other = bystander.get(30, TimeUnit.SECONDS);

    assertThat(failed.statusCode()).isBetween(500, 599);
    assertThat(other.statusCode()).isBetween(500, 599);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    Await.until(Duration.ofSeconds(30), "the query ended", () -> !query.isActive());

    serveContinuously(
        source("fragile")
            .load()
            .filter(col("value").notEqual("wait"))
            .withColumn("reply", org.apache.spark.sql.functions.callUDF("failOnce", col("value"))),
        checkpoint);
    assertThat(Http.post(urlOf("fragile"), "boom").body()).isEqualTo("BOOM");
  }

  @Test
  void moreContinuousPartitionsThanTaskSlotsIsRefused() {
    assertThatThrownBy(
            () -> {
              StreamingQuery q =
                  serveContinuously(
                      source("greedy")
                          .option("numPartitions", "64")
                          .load()
                          .withColumn("reply", col("value")),
                      tempDir("greedy"));
              q.awaitTermination(60_000);
              if (q.exception().isDefined()) {
                throw q.exception().get();
              }
            })
        .hasMessageContaining("Invalid value '64' for option 'numPartitions'")
        .hasMessageContaining("task slots");
  }
}
