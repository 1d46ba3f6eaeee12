package org.sparkserving.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.sparkserving.Serving;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;

/**
 * The victim of {@code bench/attack}: a head-node continuous service (the query upper-cases each
 * body) in its own JVM, started with the library's default limits unless {@code key=value}
 * arguments set serving options. Prints {@code URL <url>} once serving, then appends a line of
 * figures to the stats file every 250 ms: heap used, Netty direct memory, open file descriptors and
 * the service's counters, which {@link AttackRun} reads.
 */
public final class AttackServer {

  private AttackServer() {}

  public static void main(String[] args) throws Exception {
    Path stats = Path.of(args[0]);
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv[1]);
    }
    Path checkpoint = Files.createTempDirectory("serving-attack");
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("serving-attack")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    StreamingQuery query =
        spark
            .readStream()
            .format("serving")
            .option("name", "demo")
            .option("host", "127.0.0.1")
            .option("numPartitions", "1")
            .options(options)
            .load()
            .withColumn("reply", upper(col("value")))
            .writeStream()
            .format("serving")
            .option("replyCol", "reply")
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.Continuous("1 second"))
            .start();
    String url = Serving.endpoints("demo").get(0);
    Thread sampler = new Thread(() -> sample(stats, query), "attack-stats");
    sampler.setDaemon(true);
    sampler.start();
    System.out.println("URL " + url);
    System.out.flush();
    query.awaitTermination();
  }

  private static void sample(Path stats, StreamingQuery query) {
    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(stats, StandardCharsets.UTF_8), true)) {
      while (true) {
        ServingEndpoint endpoint = HttpServers.liveEndpoints().stream().findFirst().orElse(null);
        StringBuilder line = new StringBuilder();
        line.append("t=").append(System.currentTimeMillis());
        line.append(" heap=").append(heapUsed());
        line.append(" direct=").append(directUsed());
        line.append(" fds=").append(openFds());
        line.append(" active=").append(query.isActive());
        if (endpoint != null) {
          endpoint.status().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        }
        out.println(line);
        Thread.sleep(250);
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("stats sampler stopped: " + e);
    }
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long directUsed() {
    long direct = PlatformDependent.usedDirectMemory();
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      direct = Math.max(direct, p.metric().usedDirectMemory());
    }
    return direct;
  }

  private static long openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
