package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.SupervisedQuery;
import org.sparkserving.http.HttpServers;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.Gate;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.QuietFailures;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * A request whose row makes the user's query throw (an ANSI cast of a header, Spark 4's default)
 * costs its own batch's clients a short 500, never the service: the supervised query restarts on
 * its checkpoint, adopts the same server, and serves everyone else.
 */
class PoisonRequestTest extends SparkServingTestBase {

  private static QuietFailures quiet;

  private String ansiBefore;

  @BeforeAll
  static void quietSparkFailures() {
    quiet = QuietFailures.start();
  }

  @AfterAll
  static void restoreLogs() {
    quiet.close();
  }

  @BeforeEach
  void ansiCasts() {
    ansiBefore = spark.conf().get("spark.sql.ansi.enabled", "false");
    spark.conf().set("spark.sql.ansi.enabled", "true");
  }

  /** Supervisors this test started: stopped first, so none restarts a query after the test. */
  private final List<SupervisedQuery> supervised = new ArrayList<>();

  @AfterEach
  void stopSupervisorsAndRestoreAnsi() throws Exception {
    for (SupervisedQuery s : supervised) {
      s.stop();
    }
    spark.conf().set("spark.sql.ansi.enabled", ansiBefore);
  }

  private SupervisedQuery supervise(DataStreamWriter<Row> writer) throws Exception {
    SupervisedQuery s = Serving.supervise(writer);
    supervised.add(s);
    return s;
  }

  /** Doubles the header x-n, cast to int: a non-numeric header makes the query throw. */
  private static Dataset<Row> doubling(String name, Map<String, String> options) {
    return source(name)
        .options(options)
        .load()
        .filter(callUDF("gate", col("value")))
        .withColumn(
            "reply",
            concat(
                lit("2n="),
                col("request.headers").getItem("x-n").cast("int").multiply(2).cast("string")));
  }

  private static DataStreamWriter<Row> writer(Dataset<Row> output, Path checkpoint) {
    return output
        .writeStream()
        .format("serving")
        .option("replyCol", "reply")
        .option("checkpointLocation", checkpoint.toString());
  }

  private static HttpRequest withN(String url, String body, String n) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(90))
        .header("x-n", n)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpResponse<String> send(String url, String body, String n) throws Exception {
    return Http.CLIENT.send(withN(url, body, n), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(
      String url, String body, String n) {
    return Http.CLIENT.sendAsync(withN(url, body, n), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertSafeFailure(HttpResponse<String> r, String service) {
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body())
        .contains("The query serving '" + service + "' failed while processing this request")
        .doesNotContain("CAST_INVALID_INPUT")
        .doesNotContain("not-a-number")
        .doesNotContain("\tat ")
        .doesNotContain("org.apache.spark");
  }

  @Test
  void poisonCostsOnlyItsBatchAndTheSameServerServesTheRestAfterARestart() throws Exception {
    Gate.register(spark);
    SupervisedQuery handle = supervise(writer(doubling("poison", Map.of()), tempDir("poison")));
    String url = urlOf("poison");
    assertThat(send(url, "warm", "21").body()).isEqualTo("2n=42");

    // The poison request's batch is held at the gate while another client arrives.
    CompletableFuture<HttpResponse<String>> poison = sendAsync(url, "gate", "not-a-number");
    Gate.awaitReached();
    CompletableFuture<HttpResponse<String>> bystander = sendAsync(url, "later", "5");
    Clients.awaitWaiting(2);
    Gate.open();

    HttpResponse<String> failed = poison.get(60, TimeUnit.SECONDS);
    long failedAt = System.nanoTime();
    assertSafeFailure(failed, "poison");
    assertThat(failed.body()).contains("SparkNumberFormatException");
    // Sent while the query restarts: the same server admits it and holds it for the restart.
    HttpResponse<String> during = send(url, "during", "7");
    long servedMs = (System.nanoTime() - failedAt) / 1_000_000;

    assertThat(bystander.get(60, TimeUnit.SECONDS).body()).isEqualTo("2n=10");
    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(during.body()).isEqualTo("2n=14");
    assertThat(handle.restarts()).isEqualTo(1);
    assertThat(handle.lastFailure()).hasRootCauseInstanceOf(NumberFormatException.class);
    assertThat(Serving.endpoints("poison")).containsExactly(url);
    System.out.println("poison: served again " + servedMs + " ms after the poison's 500");

    // The counters reach the restarted query's progress.
    Await.until(
        Duration.ofSeconds(30),
        "progress with the counters",
        () -> {
          StreamingQueryProgress p = handle.query().lastProgress();
          return p != null
              && "1".equals(p.sources()[0].metrics().get("restarts"))
              && "1".equals(p.sources()[0].metrics().get("failedByQuery"));
        });
    handle.stop();
    assertThat(handle.isActive()).isFalse();
  }

  @Test
  void aClientSendingPoisonAgainAndAgainDoesNotStopTheService() throws Exception {
    Gate.register(spark);
    SupervisedQuery handle = supervise(writer(doubling("again", Map.of()), tempDir("again")));
    String url = urlOf("again");
    for (int i = 1; i <= 2; i++) {
      assertSafeFailure(send(url, "bad", "not-a-number"), "again");
      assertThat(send(url, "good", String.valueOf(i)).body()).isEqualTo("2n=" + (2 * i));
    }
    assertThat(handle.restarts()).isEqualTo(2);
    assertThat(handle.isActive()).isTrue();
    assertThat(HttpServers.liveEndpoints()).hasSize(1);
  }

  @Test
  void includeErrorDetailsTellsClientsTheCause() throws Exception {
    Gate.register(spark);
    StreamingQuery query =
        writer(doubling("detailed", Map.of("includeErrorDetails", "true")), tempDir("detailed"))
            .start();
    String url = urlOf("detailed");

    HttpResponse<String> failed = send(url, "bad", "not-a-number");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body())
        .contains("The query serving 'detailed' failed while processing this request")
        .contains("CAST_INVALID_INPUT")
        .contains("not-a-number");
    Await.until(Duration.ofSeconds(30), "the query ended", () -> !query.isActive());
  }

  @Test
  void anUnsupervisedQueryStillEndsAndItsServerStops() throws Exception {
    Gate.register(spark);
    StreamingQuery query = writer(doubling("alone", Map.of()), tempDir("alone")).start();
    String url = urlOf("alone");

    assertSafeFailure(send(url, "bad", "not-a-number"), "alone");

    Await.until(Duration.ofSeconds(30), "the query ended", () -> !query.isActive());
    Await.until(
        Duration.ofSeconds(30), "the server closed", () -> Serving.endpoints("alone").isEmpty());
  }
}
