package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.SparkServingTestBase;

/** Many clients at once: every client gets exactly its own reply, never another's. */
class ConcurrentClientsTest extends SparkServingTestBase {

  private static final int CLIENTS = 32;
  private static final int REQUESTS = 2000;

  @ParameterizedTest(name = "numPartitions={0}")
  @ValueSource(ints = {1, 4})
  void everyClientGetsItsOwnReply(int numPartitions) throws Exception {
    String name = "concurrent" + numPartitions;
    serve(
        source(name)
            .option("numPartitions", String.valueOf(numPartitions))
            .load()
            .withColumn("reply", concat(lit("echo:"), upper(col("value")))),
        "reply");
    String url = urlOf(name);

    Clients.assertEachGetsItsOwnReply(url, CLIENTS, REQUESTS, body -> "echo:" + body.toUpperCase());
    ServingEndpoint endpoint =
        HttpServers.liveEndpoints().stream()
            .filter(e -> e.name().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(endpoint.metrics().admitted()).isEqualTo(REQUESTS);
    assertThat(endpoint.metrics().replied()).isEqualTo(REQUESTS);
    assertThat(endpoint.pending()).isZero();
  }
}
