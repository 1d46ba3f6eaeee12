package org.sparkserving.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.sparkserving.Serving;

/**
 * The serving library in head mode (the driver holds the HTTP server) on a local two-thread Spark,
 * in one of three shapes that differ only in their trigger and sink (see the factories). The query
 * upper-cases each body, which is cheap for Spark yet proves the reply went through the query and
 * came back to the right client.
 *
 * <p>Only the library's public API is used: {@code format("serving")} to read, the serving sink or
 * {@link Serving#replyWriter} to answer, {@link Serving#endpoints} to find the URL.
 */
final class SparkContender implements Contender {

  private static final long START_TIMEOUT_MS = 60_000;

  private final String name;
  private final int numPartitions;
  private final UnaryOperator<DataStreamWriter<Row>> sink;
  private final String setupNote;
  private final boolean batchesAreGaps;
  private final Map<String, String> sparkConf;
  private final Map<String, String> sinkOptions;
  private final BatchTimings timings = new BatchTimings();
  private final JobTimings jobs = new JobTimings();
  private SparkSession spark;
  private StreamingQuery query;
  private Path checkpoint;

  /**
   * @param numPartitions the source's {@code numPartitions}
   * @param sink the sink and trigger: everything after {@code writeStream()} but the checkpoint
   * @param setupNote see {@link Contender#setupNote()}
   * @param batchesAreGaps whether each batch boundary is a gap in serving (real-time mode)
   */
  private SparkContender(
      String name,
      BenchOptions options,
      int numPartitions,
      UnaryOperator<DataStreamWriter<Row>> sink,
      String setupNote,
      boolean batchesAreGaps) {
    this.name = name;
    this.numPartitions = numPartitions;
    this.sink = sink;
    this.setupNote = setupNote;
    this.batchesAreGaps = batchesAreGaps;
    this.sparkConf = Map.copyOf(options.sparkConf);
    this.sinkOptions = Map.copyOf(options.sinkOptions);
  }

  /**
   * The library in its default shape: the serving sink with Spark's default micro-batch trigger (a
   * new batch as soon as the previous one ends), reading with two partitions.
   */
  static Contender microBatch(BenchOptions o) {
    return new SparkContender(
        "head-microbatch", o, 2, w -> w.format("serving").option("replyCol", "reply"), null, false);
  }

  /**
   * Continuous processing: one long-running task reads the requests as they are admitted and
   * answers them one by one; the one-second interval is only how often Spark checkpoints.
   */
  static Contender continuous(BenchOptions o) {
    return new SparkContender(
        "head-continuous",
        o,
        1,
        w ->
            w.format("serving").option("replyCol", "reply").trigger(Trigger.Continuous("1 second")),
        null,
        false);
  }

  /**
   * Spark's real-time mode (Spark 4.1+): long-running batches of {@code --realtime-batch} whose
   * task answers each request as it arrives, through the library's {@code foreach} writer
   * (real-time mode accepts only allow-listed sinks). Between two batches Spark commits and plans
   * the next one: a gap in which requests wait.
   */
  static Contender realTime(BenchOptions o) {
    Duration batch = o.realTimeBatch;
    return new SparkContender(
        "head-realtime",
        o,
        1,
        w ->
            w.outputMode("update")
                .foreach(Serving.replyWriter("reply"))
                .trigger(Trigger.RealTime(batch.toMillis())),
        String.format(
            "head-realtime: Trigger.RealTime batches of %d s; each batch boundary is a gap in"
                + " serving, counted by the progress reports in the notes below",
            batch.toSeconds()),
        true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String setupNote() {
    return setupNote;
  }

  /** Under real-time mode every progress report ends a batch: a boundary, hence a gap. */
  @Override
  public long servingGaps() {
    return batchesAreGaps ? timings.allReports() : 0;
  }

  @Override
  public Endpoint start() throws IOException, TimeoutException, InterruptedException {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("spark-serving-bench")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2");
    sparkConf.forEach(builder::config);
    spark = builder.getOrCreate();
    spark.streams().addListener(timings);
    spark.sparkContext().addSparkListener(jobs);
    checkpoint = createCheckpointDir();
    Dataset<Row> replies =
        spark
            .readStream()
            .format("serving")
            .option("name", name)
            // The benchmark only ever targets the loopback address.
            .option("host", "127.0.0.1")
            .option("port", "0")
            .option("numPartitions", Integer.toString(numPartitions))
            .load()
            .withColumn("reply", upper(col("value")));
    DataStreamWriter<Row> writer =
        sink.apply(replies.writeStream()).option("checkpointLocation", checkpoint.toString());
    sinkOptions.forEach(writer::option);
    query = writer.start();
    String url = awaitUrl();
    // Spark's upper() is Java's toUpperCase in the root locale; bodies are ASCII anyway.
    return new Endpoint(url, body -> body.toUpperCase(Locale.ROOT));
  }

  /**
   * The service's URL once its server is up, or the query's own error if it died first (a setting
   * Spark refuses, say), rather than a bare "not served".
   */
  private String awaitUrl() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      List<String> urls = Serving.endpoints(name);
      if (!urls.isEmpty()) {
        return urls.get(0);
      }
      if (!query.isActive()) {
        throw new IllegalStateException(
            name + ": the query ended before serving",
            query.exception().isDefined() ? query.exception().get() : null);
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(name + ": not served after " + START_TIMEOUT_MS + " ms");
  }

  @Override
  public String loadNote() {
    // Progress events reach listeners asynchronously; give the last batch's a moment to arrive.
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String batches = timings.drain();
    String jobTimes = jobs.drain();
    return batches == null ? jobTimes : jobTimes == null ? batches : batches + "; " + jobTimes;
  }

  @Override
  public void stop() {
    try {
      if (query != null) {
        query.stop();
      }
    } catch (TimeoutException e) {
      System.err.println(name + ": query did not stop in time: " + e);
    } finally {
      query = null;
      if (spark != null) {
        spark.stop();
        spark = null;
      }
      deleteQuietly(checkpoint);
      checkpoint = null;
    }
    if (!Serving.endpoints(name).isEmpty()) {
      System.err.println(
          name + ": still served after its query stopped: " + Serving.endpoints(name));
    }
  }

  /**
   * A fresh checkpoint directory, under {@code -Dbench.checkpointParent} if set: every batch or
   * epoch writes its offsets and commit there, so the disk behind it is part of the latency.
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
