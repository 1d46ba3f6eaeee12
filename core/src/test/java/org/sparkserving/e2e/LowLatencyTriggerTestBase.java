package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.SupervisedQuery;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.FailOnce;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.QuietFailures;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * The promises every low-latency trigger keeps, whatever Spark does underneath: correct replies
 * under concurrency, replies far sooner than a batch or epoch, a clean stop, and prompt answers to
 * every waiting client when a task fails, with a restart that serves again.
 */
abstract class LowLatencyTriggerTestBase extends SparkServingTestBase {

  /** The deployment under test: {@code head}, or {@code distributed} (one server per executor). */
  String mode() {
    return "head";
  }

  /** The serving source for {@code name} in the mode under test. */
  DataStreamReader service(String name) {
    return source(name).option("mode", mode());
  }

  /** The writer of {@code output} (with a {@code reply} column) under the trigger being tested. */
  abstract DataStreamWriter<Row> writer(Dataset<Row> output, Path checkpoint);

  /** Starts {@code output} (with a {@code reply} column) under the trigger being tested. */
  StreamingQuery start(Dataset<Row> output, Path checkpoint) {
    try {
      return writer(output, checkpoint).start();
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void concurrentClientsEachGetTheirOwnReplyQuickly() throws Exception {
    start(
        service("lowlat").load().withColumn("reply", concat(lit("ll:"), upper(col("value")))),
        tempDir("lowlat"));
    String url = urlOf("lowlat");

    Clients.assertEachGetsItsOwnReply(url, 32, 1280, body -> "ll:" + body.toUpperCase());

    // Batches and epochs last seconds: a reply bound to them could never come this fast.
    assertThat(Clients.fastestOf(url, 20, b -> "ll:" + b.toUpperCase()))
        .isLessThan(Duration.ofMillis(200));
  }

  @Test
  void stopAnswersWaitingClientsAndFreesThePort() throws Exception {
    StreamingQuery query =
        start(holding(service("stopping").load(), col("value")), tempDir("stopping"));
    String url = urlOf("stopping");
    int port = URI.create(url).getPort();
    assertThat(Http.post(url, "ok").body()).isEqualTo("ok");
    CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    query.stop();

    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    Clients.assertPortFree(port);
  }

  @Test
  void taskFailureAnswersWaitingClientsPromptlyAndRestartServesAgain() throws Exception {
    try (QuietFailures quiet = QuietFailures.start()) {
      taskFailureAnswersWaitingClients();
    }
  }

  private void taskFailureAnswersWaitingClients() throws Exception {
    FailOnce.register(spark);
    Path checkpoint = tempDir("fragile");
    StreamingQuery query = start(fragile(), checkpoint);
    String url = urlOf("fragile");
    assertThat(Http.post(url, "fine").body()).isEqualTo("FINE");
    CompletableFuture<HttpResponse<String>> bystander = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    long began = System.nanoTime();
    HttpResponse<String> failed = Http.post(url, "boom");
    HttpResponse<String> other = bystander.get(30, TimeUnit.SECONDS);

    // 500 naming the kind of cause: the query failed, it was not stopped. Its message stays in
    // the log.
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body())
        .contains("failed while processing this request")
        .contains("IllegalStateException")
        .doesNotContain("injected failure");
    assertThat(other.statusCode()).isEqualTo(500);
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(20));
    Await.until(Duration.ofSeconds(30), "the query ended", () -> !query.isActive());

    start(fragile(), checkpoint);
    assertThat(Http.post(urlOf("fragile"), "boom").body()).isEqualTo("BOOM");
  }

  @Test
  void aSupervisedQueryServesAgainAfterAPoisonRequest() throws Exception {
    try (QuietFailures quiet = QuietFailures.start()) {
      supervisedQueryServesAgain();
    }
  }

  private void supervisedQueryServesAgain() throws Exception {
    FailOnce.register(spark);
    SupervisedQuery handle = Serving.supervise(writer(fragile(), tempDir("supervised")));
    try {
      String url = urlOf("fragile");
      assertThat(Http.post(url, "fine").body()).isEqualTo("FINE");

      HttpResponse<String> failed = Http.post(url, "boom");

      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).doesNotContain("injected failure");
      if (mode().equals("head")) {
        // The restarted query adopts the same server: a client sent at once is held, then served.
        assertThat(Http.post(url, "during").body()).isEqualTo("DURING");
        assertThat(handle.restarts()).isEqualTo(1);
      } else {
        // Distributed mode starts new executor servers; the registry lists them.
        Await.until(Duration.ofSeconds(60), "a restart", () -> handle.restarts() == 1);
        Await.until(
            Duration.ofSeconds(60),
            "the new servers",
            () -> !Serving.endpoints("fragile").isEmpty());
      }
      assertThat(Http.post(urlOf("fragile"), "after").body()).isEqualTo("AFTER");
      assertThat(handle.isActive()).isTrue();
    } finally {
      handle.stop();
    }
  }

  /** Requests saying "wait" are filtered out, so their clients stay waiting. */
  private static Dataset<Row> holding(Dataset<Row> requests, org.apache.spark.sql.Column reply) {
    return requests.filter(col("value").notEqual("wait")).withColumn("reply", reply);
  }

  private Dataset<Row> fragile() {
    return holding(service("fragile").load(), callUDF("failOnce", col("value")));
  }
}
