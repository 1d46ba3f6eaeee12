package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.FailOnce;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.QuietFailures;
import org.sparkserving.testing.SparkServingTestBase;

/** Starting, stopping and restarting services, and several services side by side. */
class LifecycleTest extends SparkServingTestBase {

  @Test
  void restartFromCheckpointServesNewRequests() throws Exception {
    Path checkpoint = tempDir("restart");
    StreamingQuery first =
        serve(
            source("restartable").load().withColumn("reply", length(col("value"))),
            "reply",
            checkpoint);
    String firstUrl = urlOf("restartable");
    for (int i = 0; i < 5; i++) {
      assertThat(Http.post(firstUrl, "run-one").body()).isEqualTo("7");
    }
    first.stop();
    assertThat(Serving.endpoints("restartable")).isEmpty();

    StreamingQuery second =
        serve(
            source("restartable").load().withColumn("reply", length(col("value"))),
            "reply",
            checkpoint);
    String secondUrl = urlOf("restartable");
    assertThat(Http.post(secondUrl, "run-two!").body()).isEqualTo("8");
    assertThat(Http.post(secondUrl, "again").body()).isEqualTo("5");
    assertThat(second.exception().isDefined()).isFalse();
    assertThat(second.isActive()).isTrue();
  }

  @Test
  void restartReplaysAnUnfinishedBatchOfAnEarlierServerAsEmpty() throws Exception {
    Path checkpoint = tempDir("crashed");
    StreamingQuery first =
        serve(
            source("crashy").load().withColumn("reply", length(col("value"))), "reply", checkpoint);
    assertThat(Http.post(urlOf("crashy"), "abc").body()).isEqualTo("3");
    Path offsets = checkpoint.resolve("offsets");
    Path commits = checkpoint.resolve("commits");
    Await.until(
        Duration.ofSeconds(30),
        "a committed batch naming the server",
        () -> lastCommitted(offsets, commits) >= 0);
    first.stop();
    long lastBatch = lastCommitted(offsets, commits);

    // As if the driver died after planning one more batch of the old server's requests.
    java.util.List<String> lines =
        java.nio.file.Files.readAllLines(offsets.resolve(String.valueOf(lastBatch)));
    String last = lines.get(lines.size() - 1);
    lines.set(lines.size() - 1, last.replaceAll(":(\\d+)}", ":$1" + "0}"));
    assertThat(lines.get(lines.size() - 1)).isNotEqualTo(last);
    java.nio.file.Files.write(offsets.resolve(String.valueOf(lastBatch + 1)), lines);

    StreamingQuery second =
        serve(
            source("crashy").load().withColumn("reply", length(col("value"))), "reply", checkpoint);
    assertThat(Http.post(urlOf("crashy"), "after").body()).isEqualTo("5");
    assertThat(second.exception().isDefined()).isFalse();
    assertThat(second.isActive()).isTrue();
  }

  /** The newest batch whose offsets name a server and whose commit is written, or -1. */
  private static long lastCommitted(Path offsets, Path commits) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(commits)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong)
          .filter(
              id -> {
                try {
                  java.util.List<String> l =
                      java.nio.file.Files.readAllLines(offsets.resolve(String.valueOf(id)));
                  return !l.get(l.size() - 1).equals("{}");
                } catch (java.io.IOException e) {
                  return false;
                }
              })
          .max()
          .orElse(-1);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  @Test
  void twoServicesSideBySideAndStoppingOneLeavesTheOther() throws Exception {
    StreamingQuery a =
        serve(
            source("service_a").load().withColumn("reply", concat(lit("a:"), col("value"))),
            "reply");
    serve(source("service_b").load().withColumn("reply", concat(lit("b:"), col("value"))), "reply");
    String urlA = urlOf("service_a");
    String urlB = urlOf("service_b");

    assertThat(Http.post(urlA, "1").body()).isEqualTo("a:1");
    assertThat(Http.post(urlB, "2").body()).isEqualTo("b:2");

    a.stop();
    assertThat(Serving.endpoints("service_a")).isEmpty();
    assertThat(Http.post(urlB, "3").body()).isEqualTo("b:3");
  }

  @Test
  void onePortHostsSeveralNames() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    StreamingQuery left =
        serve(
            spark
                .readStream()
                .format("serving")
                .option("name", "left")
                .option("port", String.valueOf(port))
                .load()
                .withColumn("reply", concat(lit("L"), col("value"))),
            "reply");
    serve(
        spark
            .readStream()
            .format("serving")
            .option("name", "right")
            .option("port", String.valueOf(port))
            .load()
            .withColumn("reply", concat(lit("R"), col("value"))),
        "reply");

    String left0 = urlOf("left");
    String right0 = urlOf("right");
    assertThat(left0).endsWith(":" + port + "/left");
    assertThat(right0).endsWith(":" + port + "/right");
    assertThat(Http.post(left0, "x").body()).isEqualTo("Lx");
    assertThat(Http.post(right0, "y").body()).isEqualTo("Ry");

    left.stop();
    assertThat(Http.post(right0, "z").body()).isEqualTo("Rz");
    assertThat(Http.post(left0, "gone").statusCode()).isEqualTo(404);
  }

  @Test
  void stoppingTheQueryAnswersWaitingClientsAndFreesThePort() throws Exception {
    StreamingQuery query =
        serve(
            source("stopping")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn("reply", length(col("value"))),
            "reply");
    String url = urlOf("stopping");
    int port = java.net.URI.create(url).getPort();
    assertThat(Http.post(url, "ready").body()).isEqualTo("5");

    CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);
    query.stop();

    HttpResponse<String> answer = waiting.get(10, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("stopped");
    Clients.assertPortFree(port);
  }

  @Test
  void aFailedQueryAnswersItsWaitingClients500WithASafeReason() throws Exception {
    try (QuietFailures quiet = QuietFailures.start()) {
      failedQueryAnswersWaitingClients();
    }
  }

  private void failedQueryAnswersWaitingClients() throws Exception {
    FailOnce.register(spark);
    // Local mode gives a task one attempt, so the injected failure fails the micro-batch query.
    StreamingQuery query =
        serve(
            source("failing")
                .load()
                .filter(col("value").notEqual("wait"))
                .withColumn("reply", callUDF("failOnce", col("value"))),
            "reply");
    String url = urlOf("failing");
    assertThat(Http.post(url, "fine").body()).isEqualTo("FINE");
    CompletableFuture<HttpResponse<String>> bystander = Http.postAsync(url, "wait");
    Clients.awaitWaiting(1);

    HttpResponse<String> failed = Http.post(url, "boom");

    assertThat(failed.statusCode()).isEqualTo(500);
    // The exception's class, not its message: that goes to the log only (includeErrorDetails).
    assertThat(failed.body())
        .contains("The query serving 'failing' failed while processing this request")
        .contains("IllegalStateException")
        .doesNotContain("injected");
    assertThat(bystander.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    Await.until(Duration.ofSeconds(30), "the query ended", () -> !query.isActive());
  }

  @Test
  void badOptionFailsLoadNamingTheOption() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                spark
                    .readStream()
                    .format("serving")
                    .option("name", "x")
                    .option("port", "eighty")
                    .load())
        .hasMessageContaining("Invalid value 'eighty' for option 'port'");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                spark
                    .readStream()
                    .format("serving")
                    .option("name", "x")
                    .option("replyTimeout", "soon")
                    .load())
        .hasMessageContaining("option 'replyTimeout'");
  }
}
