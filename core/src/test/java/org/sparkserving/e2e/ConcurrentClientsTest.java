package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Http;
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
        source(name).option("numPartitions", String.valueOf(numPartitions)).load()
            .withColumn("reply", concat(lit("echo:"), upper(col("value")))),
        "reply");
    String url = urlOf(name);

    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<List<String>>> mismatches = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        mismatches.add(clients.submit(() -> {
          List<String> wrong = new ArrayList<>();
          for (int i = client; i < REQUESTS; i += CLIENTS) {
            String body = "client-" + client + "-request-" + i;
            HttpResponse<String> r = Http.post(url, body);
            String expected = "echo:" + body.toUpperCase();
            if (r.statusCode() != 200 || !r.body().equals(expected)) {
              wrong.add(body + " -> " + r.statusCode() + " " + r.body());
            }
          }
          return wrong;
        }));
      }
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : mismatches) {
        wrong.addAll(f.get());
      }
      assertThat(wrong).isEmpty();
    } finally {
      clients.shutdownNow();
    }
    ServingEndpoint endpoint = HttpServers.liveEndpoints().stream()
        .filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    assertThat(endpoint.metrics().admitted()).isEqualTo(REQUESTS);
    assertThat(endpoint.metrics().replied()).isEqualTo(REQUESTS);
    assertThat(endpoint.pending()).isZero();
  }
}
