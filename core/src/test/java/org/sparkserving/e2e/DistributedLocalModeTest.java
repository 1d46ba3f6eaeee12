package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkserving.Serving;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * Distributed mode on local Spark, where the one executor is the driver: the same code path as on a
 * cluster (launch job, registry, routing), in one JVM. The multi-JVM cases are in the cluster ITs.
 */
class DistributedLocalModeTest extends SparkServingTestBase {

  @Test
  void servesThroughTheExecutorsServerAndListsItInTheRegistry() throws Exception {
    Dataset<Row> requests = source("dist_api").option("mode", "distributed").load();
    serve(requests.withColumn("reply", upper(col("value"))).repartition(7), "reply");

    List<String> urls = Serving.awaitEndpoints("dist_api", 60_000);
    assertThat(urls).hasSize(1);
    Clients.assertEachGetsItsOwnReply(urls.get(0), 32, 320, String::toUpperCase);

    String registry = Serving.registryUrl("dist_api");
    assertThat(registry).contains("/_serving/services/dist_api");
    String listing = Http.get(registry).body();
    assertThat(listing)
        .isEqualTo("{\"name\":\"dist_api\",\"endpoints\":[\"" + urls.get(0) + "\"]}");
    assertThat(Http.get(registry.replace("dist_api", "no_such_api")).statusCode()).isEqualTo(404);
  }

  @Test
  void seedDistributedClassNamesDefaultToDistributedMode() throws Exception {
    Dataset<Row> df =
        spark
            .readStream()
            .format("org.apache.spark.sql.execution.streaming.DistributedHTTPSourceProvider")
            .option("host", "localhost")
            .option("port", 0)
            .option("name", "seed_dist")
            .load();
    df.withColumn("reply", concat(lit("got "), col("value")))
        .writeStream()
        .format("org.apache.spark.sql.execution.streaming.DistributedHTTPSinkProvider")
        .option("name", "seed_dist")
        .option("replyCol", "reply")
        .option("checkpointLocation", tempDir("seed-dist").toString())
        .start();

    String url = urlOf("seed_dist");
    assertThat(Http.post(url, "x").body()).isEqualTo("got x");
    // Only distributed mode runs a registry of its own on the driver, apart from the servers
    // (a head-node service answers registry calls on its own port).
    String registry = Serving.registryUrl("seed_dist");
    assertThat(URI.create(registry).getPort()).isNotEqualTo(URI.create(url).getPort());
    assertThat(Http.get(registry).body()).contains(url);
  }
}
