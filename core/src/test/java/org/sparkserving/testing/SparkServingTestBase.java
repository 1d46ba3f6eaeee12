package org.sparkserving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.sparkserving.Serving;
import org.sparkserving.http.HttpServers;

/**
 * Owns one local SparkSession for the whole test JVM and stops every streaming query (and with it
 * every server) after each test.
 */
public abstract class SparkServingTestBase {

  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[4]")
            .appName("spark-serving-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    // The compatibility module runs these tests on another Spark line: prove it really does.
    String expected = System.getProperty("serving.expectedSparkVersion");
    if (expected != null && !expected.equals(spark.version())) {
      throw new IllegalStateException(
          "Expected Spark " + expected + ", running " + spark.version());
    }
  }

  @AfterEach
  void stopQueries() throws TimeoutException {
    for (StreamingQuery q : spark.streams().active()) {
      q.stop();
    }
    Await.until(
        java.time.Duration.ofSeconds(30),
        "every server closed",
        () -> HttpServers.liveEndpoints().isEmpty());
  }

  /** A fresh reader of the serving source for service {@code name} on any free port. */
  protected static org.apache.spark.sql.streaming.DataStreamReader source(String name) {
    return spark.readStream().format("serving").option("name", name).option("port", "0");
  }

  /** Starts {@code output} into the serving sink with {@code replyCol} and a fresh checkpoint. */
  protected static StreamingQuery serve(Dataset<Row> output, String replyCol) {
    return serve(output, replyCol, tempDir("checkpoint"));
  }

  /** Starts {@code output} into the serving sink; also used by the cluster tests' driver. */
  public static StreamingQuery serve(Dataset<Row> output, String replyCol, Path checkpoint) {
    try {
      return output
          .writeStream()
          .format("serving")
          .option("replyCol", replyCol)
          .option("checkpointLocation", checkpoint.toString())
          .start();
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** The URL of {@code name} once its query's stream is up. */
  protected static String urlOf(String name) {
    try {
      List<String> urls = Serving.awaitEndpoints(name, 60_000);
      return urls.get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
