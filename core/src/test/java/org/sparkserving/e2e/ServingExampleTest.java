package org.sparkserving.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;
import org.sparkserving.testing.SparkServingTestBase;

/** The README's Java example and the original notes' example, as a user would run them. */
class ServingExampleTest extends SparkServingTestBase {

  @Test
  void replyIsTheLengthOfTheBody() {
    Dataset<Row> requests =
        spark
            .readStream()
            .format("serving")
            .option("host", "localhost")
            .option("port", "0")
            .option("name", "my_api")
            .load();
    StreamingQuery query = serve(requests.withColumn("reply", length(col("value"))), "reply");

    HttpResponse<String> response = Http.post(urlOf("my_api"), "hello");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("5");
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    // The service's counters appear in the query's progress, as for any Spark source.
    Await.until(
        Duration.ofSeconds(30),
        "progress reporting the reply",
        () -> {
          StreamingQueryProgress p = query.lastProgress();
          return p != null && "1".equals(p.sources()[0].metrics().get("replied"));
        });
  }

  @Test
  void seedExampleRunsWithTheOriginalClassNamesAndOptionCase() throws Exception {
    String servingSource = "org.apache.spark.sql.execution.streaming.HTTPSourceProvider";
    String servingSink = "org.apache.spark.sql.execution.streaming.HTTPSinkProvider";
    Dataset<Row> df =
        spark
            .readStream()
            .format(servingSource)
            .option("host", "localhost")
            .option("port", 0)
            .option("name", "my_seed_api")
            .load();
    df.withColumn("newCol", length(col("value")))
        .writeStream()
        .format(servingSink)
        .option("name", "my_seed_api")
        .queryName("my_query")
        .option("REPLYCOL", "newCol")
        .option("checkpointLocation", tempDir("seed").toUri().toString())
        .start();

    String url = urlOf("my_seed_api");
    assertThat(Http.post(url, "four").body()).isEqualTo("4");
    assertThat(Http.post(url, "").body()).isEqualTo("0");
    assertThat(Http.get(url + "/sub/path?q=1").body()).isEqualTo("0");
  }
}
