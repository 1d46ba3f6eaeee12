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
 * The serving library under Spark, in one of several shapes that differ in where Spark runs (a
 * local two-thread Spark in this JVM, or the shared standalone {@link BenchCluster}), in the
 * serving mode (head: the driver holds the one HTTP server; distributed: every executor holds one)
 * and in their trigger and sink (see the factories). The query upper-cases each body, which is
 * cheap for Spark yet proves the reply went through the query and came back to the right client.
 *
 * <p>Only the library's public API is used: {@code format("serving")} to read, the serving sink or
 * {@link Serving#replyWriter} to answer, {@link Serving#endpoints} to find the URL.
 */
final class SparkContender implements Contender {

  private static final long START_TIMEOUT_MS = 60_000;

  /** How long a cluster application may take to get its executors (launched by the workers). */
  private static final long EXECUTORS_TIMEOUT_MS = 120_000;

  /**
   * Where the query runs.
   *
   * @param executors 0: a local Spark ({@code local[2]}) in this JVM; else that many one-core
   *     executors of the shared standalone cluster ({@code spark.cores.max})
   * @param mode the source's {@code mode}: {@code head} or {@code distributed}
   */
  record Placement(int executors, String mode) {

    static final Placement LOCAL = new Placement(0, "head");

    static Placement cluster(int executors, String mode) {
      return new Placement(executors, mode);
    }

    boolean distributed() {
      return mode.equals("distributed");
    }

    /** The servers the service has once started: one per executor in distributed mode. */
    int servers() {
      return distributed() ? executors : 1;
    }
  }

  private final String name;
  private final Placement placement;
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
   * @param placement where Spark runs and in which serving mode
   * @param numPartitions the source's {@code numPartitions} (per server in distributed mode)
   * @param sink the sink and trigger: everything after {@code writeStream()} but the checkpoint
   * @param setupNote see {@link Contender#setupNote()}
   * @param batchesAreGaps whether each batch boundary is a gap in serving (real-time mode)
   */
  private SparkContender(
      String name,
      BenchOptions options,
      Placement placement,
      int numPartitions,
      UnaryOperator<DataStreamWriter<Row>> sink,
      String setupNote,
      boolean batchesAreGaps) {
    this.name = name;
    this.placement = placement;
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
        "head-microbatch", o, Placement.LOCAL, 2, microBatchSink(), null, false);
  }

  /**
   * Continuous processing: one long-running task reads the requests as they are admitted and
   * answers them one by one; the one-second interval is only how often Spark checkpoints.
   */
  static Contender continuous(BenchOptions o) {
    return new SparkContender(
        "head-continuous", o, Placement.LOCAL, 1, continuousSink(), null, false);
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
        Placement.LOCAL,
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

  /**
   * Distributed mode with the default micro-batch trigger on {@code executors} one-core executors
   * of the standalone cluster: each executor's server has one partition (the default, {@code
   * spark.executor.cores}), which reads and answers in that executor's JVM.
   */
  static Contender distributedMicroBatch(BenchOptions o, int executors) {
    Placement p = Placement.cluster(executors, "distributed");
    String name = "dist-microbatch-" + executors;
    return new SparkContender(name, o, p, 1, microBatchSink(), clusterNote(name, p, 1), false);
  }

  /**
   * Head mode on the two-executor cluster: the driver holds the one server; each batch's two
   * partitions run on the executors, which read the requests from the driver and send the replies
   * back to it through the library's internal endpoint.
   */
  static Contender clusterHeadMicroBatch(BenchOptions o) {
    Placement p = Placement.cluster(BenchCluster.WORKERS, "head");
    return new SparkContender(
        "cluster-head-microbatch",
        o,
        p,
        2,
        microBatchSink(),
        clusterNote("cluster-head-microbatch", p, 2),
        false);
  }

  /**
   * Distributed mode with continuous processing on the two-executor cluster: one long-running task
   * per executor answers its own server's requests as they are admitted, which takes the executor's
   * only task slot.
   */
  static Contender distributedContinuous(BenchOptions o) {
    Placement p = Placement.cluster(BenchCluster.WORKERS, "distributed");
    return new SparkContender(
        "dist-continuous", o, p, 1, continuousSink(), clusterNote("dist-continuous", p, 1), false);
  }

  private static UnaryOperator<DataStreamWriter<Row>> microBatchSink() {
    return w -> w.format("serving").option("replyCol", "reply");
  }

  private static UnaryOperator<DataStreamWriter<Row>> continuousSink() {
    return w ->
        w.format("serving").option("replyCol", "reply").trigger(Trigger.Continuous("1 second"));
  }

  private static String clusterNote(String name, Placement p, int numPartitions) {
    String servers =
        p.distributed()
            ? String.format(
                Locale.ROOT,
                "mode distributed: a server in each executor (%d URLs, each client bound to one,"
                    + " round robin), numPartitions %d per server",
                p.servers(),
                numPartitions)
            : String.format(
                Locale.ROOT,
                "mode head: one server in the driver (this JVM), numPartitions %d, read and"
                    + " answered by the executors through the driver's internal endpoint",
                numPartitions);
    return String.format(
        Locale.ROOT,
        "%s: a standalone cluster on 127.0.0.1 (master and %d one-core workers, each a JVM);"
            + " this application takes %d executor(s) of 1 core and 512 MB (spark.cores.max %d),"
            + " the driver is the bench JVM; %s",
        name,
        BenchCluster.WORKERS,
        p.executors(),
        p.executors(),
        servers);
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
            .appName("spark-serving-bench-" + name)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2");
    if (placement.executors() == 0) {
      builder.master("local[2]");
    } else {
      // As the library's cluster tests run it: every JVM on loopback, the packaged jar shipped.
      builder
          .master(BenchCluster.masterUrl())
          .config("spark.jars", BenchCluster.servingJar())
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.executor.memory", "512m")
          .config("spark.executor.cores", "1")
          .config("spark.cores.max", Integer.toString(placement.executors()));
    }
    sparkConf.forEach(builder::config);
    spark = builder.getOrCreate();
    if (placement.executors() > 0) {
      awaitExecutors(placement.executors());
    }
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
            .option("mode", placement.mode())
            .load()
            .withColumn("reply", upper(col("value")));
    DataStreamWriter<Row> writer =
        sink.apply(replies.writeStream()).option("checkpointLocation", checkpoint.toString());
    sinkOptions.forEach(writer::option);
    query = writer.start();
    List<String> urls = awaitUrls(placement.servers());
    // Spark's upper() is Java's toUpperCase in the root locale; bodies are ASCII anyway.
    return new Endpoint(urls, body -> body.toUpperCase(Locale.ROOT));
  }

  /**
   * Waits until the application has {@code n} executors besides the driver, registered with the
   * scheduler and with their block managers: a cluster application gets them seconds after the
   * session starts, as the workers launch their JVMs.
   *
   * <p>Both, so that every executor's server starts with the query: an executor is announced to
   * listeners before its block manager registers, and distributed mode's driver finds the executors
   * of a starting query by their block managers. Before commit 917dea3 an executor caught in
   * between never got a server (a trial run of dist-microbatch-2 was served by one URL of two);
   * since then the driver re-reads the block managers every second, so it would only start a moment
   * late.
   */
  private void awaitExecutors(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXECUTORS_TIMEOUT_MS);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1
        || spark.sparkContext().getExecutorMemoryStatus().size() < n + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + ": fewer than " + n + " executors after " + EXECUTORS_TIMEOUT_MS + " ms");
      }
      Thread.sleep(50);
    }
  }

  /**
   * The service's {@code n} URLs once all its servers are up (sorted, so clients spread the same
   * way in every run), or the query's own error if it died first (a setting Spark refuses, say),
   * rather than a bare "not served".
   */
  private List<String> awaitUrls(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      List<String> urls = Serving.endpoints(name);
      if (urls.size() >= n) {
        return urls.stream().sorted().toList();
      }
      if (!query.isActive()) {
        throw new IllegalStateException(
            name + ": the query ended before serving",
            query.exception().isDefined() ? query.exception().get() : null);
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(
        name
            + ": not served by "
            + n
            + " URL(s) after "
            + START_TIMEOUT_MS
            + " ms, only by "
            + Serving.endpoints(name));
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
        // The next contender builds a session of its own, possibly with another master.
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
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
