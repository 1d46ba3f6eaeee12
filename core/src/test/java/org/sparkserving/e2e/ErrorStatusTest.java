package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** Every error status, each followed by proof that the query still serves good requests. */
class ErrorStatusTest extends SparkServingTestBase {

  @Test
  void unknownPathIs404AndServiceKeepsServing() {
    serve(source("known").load().withColumn("reply", length(col("value"))), "reply");
    String url = urlOf("known");

    HttpResponse<String> notFound = Http.post(url.replace("/known", "/unknown"), "x");

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).contains("No service at path '/unknown'");
    assertThat(Http.post(url, "abc").body()).isEqualTo("3");
  }

  @Test
  void bodyOverMaxRequestBytesIs413AndServiceKeepsServing() {
    serve(
        source("small")
            .option("maxRequestBytes", "16")
            .load()
            .withColumn("reply", length(col("value"))),
        "reply");
    String url = urlOf("small");

    HttpResponse<String> tooLarge = Http.post(url, "x".repeat(17));
    HttpResponse<String> farTooLarge = Http.post(url, "x".repeat(100_000));

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("maxRequestBytes");
    assertThat(farTooLarge.statusCode()).isEqualTo(413);
    assertThat(Http.post(url, "x".repeat(16)).body()).isEqualTo("16");
  }

  @Test
  void overloadIs503WithRetryAfterAndServiceRecovers() throws Exception {
    // Requests saying "hold" are filtered out by the query, so they wait until replyTimeout.
    serve(
        source("busy")
            .option("maxPendingRequests", "2")
            .option("replyTimeout", "3s")
            .load()
            .filter(col("value").notEqual("hold"))
            .withColumn("reply", length(col("value"))),
        "reply");
    String url = urlOf("busy");
    ServingEndpoint endpoint = endpoint("busy");

    CompletableFuture<HttpResponse<String>> hold1 = Http.postAsync(url, "hold");
    CompletableFuture<HttpResponse<String>> hold2 = Http.postAsync(url, "hold");
    Await.until(Duration.ofSeconds(10), "two waiting clients", () -> endpoint.pending() == 2);
    HttpResponse<String> overloaded = Http.post(url, "x");

    assertThat(overloaded.statusCode()).isEqualTo(503);
    assertThat(overloaded.headers().firstValue("retry-after")).hasValue("1");
    assertThat(overloaded.body()).contains("maxPendingRequests");
    assertThat(hold1.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(hold2.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(Http.post(url, "four").body()).isEqualTo("4");
  }

  @Test
  void filteredRowsTimeOutWith504WhileOthersAnswerFast() throws Exception {
    serve(
        source("filtering")
            .option("replyTimeout", "2s")
            .load()
            .filter(col("value").notEqual("drop"))
            .withColumn("reply", length(col("value"))),
        "reply");
    String url = urlOf("filtering");
    // The query's first batch compiles code and may take longer than replyTimeout on a busy
    // machine (the client then gets 504): measure warm batches only.
    Await.until(
        Duration.ofSeconds(60), "a warm batch", () -> Http.post(url, "warm").statusCode() == 200);

    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> dropped = Http.postAsync(url, "drop");
    HttpResponse<String> kept = Http.post(url, "keep!");
    long keptMs = (System.nanoTime() - start) / 1_000_000;
    HttpResponse<String> timedOut = dropped.get(30, TimeUnit.SECONDS);
    long droppedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(kept.body()).isEqualTo("5");
    assertThat(keptMs).isLessThan(2000);
    assertThat(timedOut.statusCode()).isEqualTo(504);
    assertThat(timedOut.body()).contains("replyTimeout");
    assertThat(droppedMs).isGreaterThanOrEqualTo(2000);
    assertThat(endpoint("filtering").metrics().timedOut()).isGreaterThanOrEqualTo(1);
  }

  private static ServingEndpoint endpoint(String name) {
    return HttpServers.liveEndpoints().stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
