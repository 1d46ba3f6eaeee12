package org.sparkserving.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.sparkserving.Serving;

/**
 * The serving library in its default shape: head mode (the driver holds the HTTP server) with
 * micro-batches, on a local two-thread Spark. The query upper-cases each body, which is cheap
 * for Spark yet proves the reply went through the query and came back to the right client.
 */
final class HeadMicroBatchContender implements Contender {

  private static final String SERVICE = "bench";
  private static final long START_TIMEOUT_MS = 60_000;

  private SparkSession spark;
  private StreamingQuery query;
  private Path checkpoint;
  private final BatchTimings timings = new BatchTimings();

  @Override
  public String name() {
    return "head-microbatch";
  }

  @Override
  public Endpoint start() throws IOException, TimeoutException, InterruptedException {
    spark =
        SparkSession.builder()
            .appName("spark-serving-bench")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark.streams().addListener(timings);
    checkpoint = createCheckpointDir();
    query =
        spark
            .readStream()
            .format("serving")
            .option("name", SERVICE)
            // The benchmark only ever targets the loopback address.
            .option("host", "127.0.0.1")
            .option("port", "0")
            .option("numPartitions", "2")
            .load()
            .withColumn("reply", upper(col("value")))
            .writeStream()
            .format("serving")
            .option("replyCol", "reply")
            .option("checkpointLocation", checkpoint.toString())
            .start();
    String url = Serving.awaitEndpoints(SERVICE, START_TIMEOUT_MS).get(0);
    // Spark's upper() is Java's toUpperCase in the root locale; bodies are ASCII anyway.
    return new Endpoint(url, body -> body.toUpperCase(Locale.ROOT));
  }

  @Override
  public String loadNote() {
    // Progress events reach listeners asynchronously; give the last batch's a moment to arrive.
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return timings.drain();
  }

  @Override
  public void stop() {
    try {
      if (query != null) {
        query.stop();
      }
    } catch (TimeoutException e) {
      System.err.println("head-microbatch: query did not stop in time: " + e);
    } finally {
      query = null;
      if (spark != null) {
        spark.stop();
        spark = null;
      }
      deleteQuietly(checkpoint);
      checkpoint = null;
    }
  }

  /**
   * A fresh checkpoint directory, under {@code -Dbench.checkpointParent} if set: every batch writes
   * its offsets and commit there, so the disk behind it is part of the per-batch latency.
   */
  private static Path createCheckpointDir() throws IOException {
    String parent = System.getProperty("bench.checkpointParent");
    return parent == null || parent.isEmpty()
        ? Files.createTempDirectory("spark-serving-bench-")
        : Files.createTempDirectory(Path.of(parent), "spark-serving-bench-");
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless; the results matter more than the cleanup.
    }
  }
}
