package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.sparkserving.Serving;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.FailOnce;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** Spark's real-time mode (Spark 4.1+), through the library's foreach writer. */
class RealTimeTriggerTest extends SparkServingTestBase {

  private static StreamingQuery serveInRealTime(Dataset<Row> output, Path checkpoint) {
    try {
      return output
          .writeStream()
          .outputMode("update")
          .foreach(Serving.replyWriter("reply"))
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.RealTime(5000))
          .start();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void concurrentClientsEachGetTheirOwnReplyQuickly() throws Exception {
    serveInRealTime(
        source("realtime").load().withColumn("reply", concat(lit("rt:"), upper(col("value")))),
        tempDir("rt"));
    String url = urlOf("realtime");

    Clients.assertEachGetsItsOwnReply(url, 32, 1280, body -> "rt:" + body.toUpperCase());

    assertThat(Clients.fastestOf(url, 20, b -> "rt:" + b.toUpperCase()))
        .isLessThan(Duration.ofMillis(200));
  }

  @Test
  void servingSinkWorksWhenTheAllowListIsOff() throws Exception {
    spark.conf().set("spark.sql.streaming.realTimeMode.allowlistCheck", "false");
    try {
      source("rtsink")
          .load()
          .withColumn("reply", upper(col("value")))
          .writeStream()
          .outputMode("update")
          .format("serving")
          .option("replyCol", "reply")
          .option("checkpointLocation", tempDir("rtsink").toString())
          .trigger(Trigger.RealTime(5000))
          .start();
      assertThat(Http.post(urlOf("rtsink"), "abc").body()).isEqualTo("ABC");
    } finally {
      spark.conf().unset("spark.sql.streaming.realTimeMode.allowlistCheck");
    }
  }

  @Test
  void stopAndFailureAnswerWaitingClientsAndRestartServes() throws Exception {
    Path checkpoint = tempDir("rtstop");
    StreamingQuery query =
        serveInRealTime(
            source("rtstop")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn("reply", col("value")),
            checkpoint);
    String url = urlOf("rtstop");
    assertThat(Http.post(url, "ok").body()).isEqualTo("ok");
    CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    int port = java.net.URI.create(url).getPort();
    query.stop();

    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    Clients.assertPortFree(port);
    serveInRealTime(
        source("rtstop")
            .load()
            .filter(col("value").notEqual("wait"))
            .withColumn("reply", col("value")),
        checkpoint);
    assertThat(Http.post(urlOf("rtstop"), "again").body()).isEqualTo("again");
  }

  @Test
  void taskFailureAnswersWaitingClientsPromptlyAndRestartServesAgain() throws Exception {
    FailOnce.register(spark);
    Path checkpoint = tempDir("rtfail");
    StreamingQuery query =
        serveInRealTime(
            source("rtfragile")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn(
                    "reply", org.apache.spark.sql.functions.callUDF("failOnce", col("value"))),
            checkpoint);
    String url = urlOf("rtfragile");
    assertThat(Http.post(url, "fine").body()).isEqualTo("FINE");
    CompletableFuture<HttpResponse<String>> bystander = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    long start = System.nanoTime();
    HttpResponse<String> failed = Http.post(url, "boom");
    HttpResponse<String> other = bystander.get(30, TimeUnit.SECONDS);

    assertThat(failed.statusCode()).isBetween(500, 599);
    assertThat(other.statusCode()).isBetween(500, 599);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    org.sparkserving.testing.Await.until(
        Duration.ofSeconds(30), "the query ended", () -> !query.isActive());

    serveInRealTime(
        source("rtfragile")
            .load()
            .filter(col("value").notEqual("wait"))
            .withColumn("reply", org.apache.spark.sql.functions.callUDF("failOnce", col("value"))),
        checkpoint);
    assertThat(Http.post(urlOf("rtfragile"), "boom").body()).isEqualTo("BOOM");
  }
}
