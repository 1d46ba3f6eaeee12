package org.sparkserving.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkserving.Serving;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.Origins;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** Distributed and head-node serving on a real two-executor standalone cluster. */
class DistributedClusterIT extends ClusterTestBase {

  /**
   * The service's requests, with the default {@code host}: in distributed mode each executor's
   * host; in head-node mode {@code localhost} on the driver, whose executors on other hosts reach
   * it at {@code spark.driver.host}.
   */
  private static Dataset<Row> requests(String name, String mode) {
    return spark
        .readStream()
        .format("serving")
        .option("name", name)
        .option("port", "0")
        .option("mode", mode)
        .load();
  }

  private static int expectedEndpoints(String mode) {
    return mode.equals("distributed") ? 2 : 1;
  }

  /** Sends distinct bodies to every URL at once, each from several clients. */
  private static void assertEveryClientGetsItsOwnReply(
      List<String> urls, UnaryOperator<String> expected) throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (String url : urls) {
      all.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  Clients.assertEachGetsItsOwnReply(url, 8, 160, expected);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
  }

  @Test
  void everyExecutorServesItsOwnEndpointAndTheRegistryListsThem() throws Exception {
    serve(
        requests("cluster_api", "distributed").withColumn("reply", concat(col("value"), lit("!"))),
        "reply");

    List<String> urls = awaitEndpoints("cluster_api", 2);
    // The servers live in the executors' JVMs, none in the driver's, one on each worker's host.
    assertThat(HttpServers.liveEndpoints()).isEmpty();
    assertThat(urls.stream().map(ClusterTestBase::hostOf))
        .containsExactlyInAnyOrderElementsOf(workerAddresses());
    assertEveryClientGetsItsOwnReply(urls, body -> body + "!");

    String registry = Serving.registryUrl("cluster_api");
    String expected =
        "{\"name\":\"cluster_api\",\"endpoints\":[\""
            + urls.get(0)
            + "\",\""
            + urls.get(1)
            + "\"]}";
    assertThat(Http.get(registry).body()).isEqualTo(expected);
    // The registry is the driver's, at its address on the network, so every host can read it.
    assertThat(hostOf(registry)).isEqualTo(bed.rootAddress());
    assertThat(getOn(cluster.workerHost(0), registry)).isEqualTo(expected);
  }

  @Test
  void seedExampleAsWrittenServesClientsOnTheDriversHost() throws Exception {
    // The original notes' first example, unchanged: head-node mode, host "localhost".
    Dataset<Row> df =
        spark
            .readStream()
            .format("org.apache.spark.sql.execution.streaming.HTTPSourceProvider")
            .option("host", "localhost")
            .option("port", 0)
            .option("name", "my_api")
            .load();
    serve(df.withColumn("newCol", length(col("value"))), "newCol");

    String url = awaitEndpoints("my_api", 1).get(0);
    assertThat(hostOf(url)).isEqualTo("localhost");
    // The executors on the other hosts read each request and send its reply to the driver.
    HttpResponse<String> first = Http.post(url, "four");
    assertThat(first.statusCode() + " " + first.body()).isEqualTo("200 4");
    Clients.assertEachGetsItsOwnReply(url, 4, 40, b -> Integer.toString(b.length()));

    // Internal calls go to the driver's address on the network; service paths are not served
    // there, so "localhost" keeps its meaning for clients.
    String origin = HttpServers.liveEndpoints().get(0).origin();
    String internal = "http://" + Origins.address(origin);
    assertThat(hostOf(internal)).isEqualTo(bed.rootAddress());
    assertThat(Http.post(internal + "/my_api", "not here").statusCode()).isEqualTo(404);
    assertThat(Http.get(internal + "/_serving/health").statusCode()).isEqualTo(200);
  }

  @Test
  void seedDistributedClassNamesServeFromEveryExecutorsHost() throws Exception {
    Dataset<Row> df =
        spark
            .readStream()
            .format("org.apache.spark.sql.execution.streaming.DistributedHTTPSourceProvider")
            .option("port", 0)
            .option("name", "seed_dist")
            .load();
    df.withColumn("reply", concat(lit("got "), col("value")))
        .writeStream()
        .format("org.apache.spark.sql.execution.streaming.DistributedHTTPSinkProvider")
        .option("name", "seed_dist")
        .option("replyCol", "reply")
        .option("checkpointLocation", SparkServingTestBase.tempDir("seed-dist").toString())
        .start();

    List<String> urls = awaitEndpoints("seed_dist", 2);
    assertThat(HttpServers.liveEndpoints()).as("no server on the driver").isEmpty();
    assertThat(urls.stream().map(ClusterTestBase::hostOf))
        .containsExactlyInAnyOrderElementsOf(workerAddresses());
    for (String url : urls) {
      assertThat(Http.post(url, "x").body()).isEqualTo("got x");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"distributed", "head"})
  void repliesFindTheirClientsAfterARepartition(String mode) throws Exception {
    String name = "repartition_" + mode;
    serve(
        requests(name, mode).repartition(7).withColumn("reply", concat(lit("re:"), col("value"))),
        "reply");
    assertEveryClientGetsItsOwnReply(awaitEndpoints(name, expectedEndpoints(mode)), b -> "re:" + b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"distributed", "head"})
  void repliesFindTheirClientsAfterAShuffledJoinWithAStaticTable(String mode) throws Exception {
    String name = "join_" + mode;
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Dataset<Row> words =
        spark
            .createDataset(digits, Encoders.STRING())
            .toDF("digit")
            .withColumn("word", concat(lit("word-"), col("digit")));
    Dataset<Row> joined =
        requests(name, mode)
            .withColumn("digit", substring(col("value"), -1, 1))
            .join(words, "digit")
            .withColumn("reply", concat(col("value"), lit(":"), col("word")));
    serve(joined, "reply");
    assertEveryClientGetsItsOwnReply(
        awaitEndpoints(name, expectedEndpoints(mode)),
        b -> b + ":word-" + b.charAt(b.length() - 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"distributed", "head"})
  void continuousProcessingAnswersAsRequestsArriveOnTheCluster(String mode) throws Exception {
    String name = "continuous_" + mode;
    requests(name, mode)
        .withColumn("reply", concat(lit("c:"), col("value")))
        .writeStream()
        .format("serving")
        .option("replyCol", "reply")
        .option("checkpointLocation", Files.createTempDirectory("cluster-cp").toString())
        .trigger(Trigger.Continuous("10 seconds"))
        .start();
    List<String> urls = awaitEndpoints(name, expectedEndpoints(mode));
    assertEveryClientGetsItsOwnReply(urls, b -> "c:" + b);
    // Replies cross JVMs as they are written, not when the 10 s epoch ends.
    for (String url : urls) {
      assertThat(Clients.fastestOf(url, 20, b -> "c:" + b)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void forgedInternalCallsToAnExecutorsServerAreRefused() throws Exception {
    serve(requests("forged_api", "distributed").withColumn("reply", col("id.origin")), "reply");
    String url = awaitEndpoints("forged_api", 2).get(0);
    String origin = Http.post(url, "who holds me?").body();
    String instanceId = origin.substring(origin.lastIndexOf('/') + 1);
    String base = url.substring(0, url.lastIndexOf('/')) + InternalApi.PREFIX + instanceId;

    for (String secret : new String[] {null, "not-the-secret"}) {
      HttpRequest.Builder forged =
          HttpRequest.newBuilder(URI.create(base + "/replies"))
              .POST(HttpRequest.BodyPublishers.ofString("garbage"));
      if (secret != null) {
        forged.header(InternalApi.SECRET_HEADER, secret);
      }
      HttpResponse<String> r =
          Http.CLIENT.send(forged.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(403);
    }
    HttpResponse<String> read =
        Http.CLIENT.send(
            HttpRequest.newBuilder(URI.create(base + "/requests?after=0&upTo=10")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(403);
    // The service still answers its real clients.
    assertThat(Http.post(url, "still here").body()).isEqualTo(origin);
  }

  @Test
  void aPoisonRequestCostsOnlyItsClientAndTheRetriedTaskKeepsTheQueryRunning() throws Exception {
    spark.conf().set("spark.sql.ansi.enabled", "true");
    try {
      StreamingQuery query =
          serve(
              requests("poison_api", "distributed")
                  .withColumn("reply", col("value").cast("int").multiply(2).cast("string")),
              "reply");
      String url = awaitEndpoints("poison_api", 2).get(0);
      assertThat(Http.post(url, "21").body()).isEqualTo("42");

      HttpResponse<String> poisoned = Http.post(url, "not-a-number");

      assertThat(poisoned.statusCode()).isEqualTo(500);
      assertThat(poisoned.body())
          .contains("failed while processing this request")
          .doesNotContain("CAST_INVALID_INPUT");
      // The failed task answered its requests as it failed, so Spark's retry skipped the poison
      // row: the query never failed and the same server goes on serving.
      assertThat(Http.post(url, "5").body()).isEqualTo("10");
      assertThat(query.exception().isDefined()).isFalse();
      assertThat(query.isActive()).isTrue();
    } finally {
      spark.conf().unset("spark.sql.ansi.enabled");
    }
  }
}
