package org.sparkserving.bench;

import static org.apache.spark.sql.functions.col;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.sparkserving.Serving;
import org.sparkserving.SupervisedQuery;

/**
 * A client that sends a poison request (a body the query's ANSI cast cannot read) every few
 * seconds, while good clients call the same supervised head-node service in closed loops. Reports
 * what the good clients saw (replies, 500s because they shared the poison's batch, anything else),
 * their latency, the longest wait (how long a restart held them), and the restarts.
 *
 * <pre>
 * java -cp "$(cat bench/target/runtime-classpath.txt):bench/target/classes" \
 *   org.sparkserving.bench.PoisonBench [seconds=60] [clients=8] [poisonEverySeconds=5]
 * </pre>
 */
public final class PoisonBench {

  private PoisonBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int poisonEvery = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Configurator.setRootLevel(Level.WARN);
    for (String quiet :
        List.of(
            "org.apache.spark.executor.Executor",
            "org.apache.spark.scheduler.TaskSetManager",
            "org.apache.spark.sql.execution.streaming",
            "org.apache.spark.sql.execution.datasources.v2")) {
      Configurator.setLevel(quiet, Level.OFF);
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[4]")
            .appName("poison-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "true")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    Path checkpoint = Files.createTempDirectory("poison-bench");
    SupervisedQuery service =
        Serving.supervise(
            spark
                .readStream()
                .format("serving")
                .option("name", "doubler")
                .option("port", "0")
                .load()
                .withColumn("reply", col("value").cast("int").multiply(2).cast("string"))
                .writeStream()
                .format("serving")
                .option("checkpointLocation", checkpoint.toString()));
    String url = Serving.awaitEndpoints("doubler", 60_000).get(0);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 20; i++) {
      send(http, url, "1");
    }

    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong ok = new AtomicLong();
    AtomicLong collateral = new AtomicLong();
    AtomicLong other = new AtomicLong();
    List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      running.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long start = System.nanoTime();
                  HttpResponse<String> r = send(http, url, "21");
                  latenciesMicros.add((System.nanoTime() - start) / 1000);
                  if (r != null && r.statusCode() == 200 && r.body().equals("42")) {
                    ok.incrementAndGet();
                  } else if (r != null && r.statusCode() == 500) {
                    collateral.incrementAndGet();
                  } else {
                    other.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    List<Integer> poisonStatuses = Collections.synchronizedList(new ArrayList<>());
    running.add(
        pool.submit(
            () -> {
              while (System.nanoTime() < end) {
                Thread.sleep(poisonEvery * 1000L);
                HttpResponse<String> r = send(http, url, "not-a-number");
                poisonStatuses.add(r == null ? -1 : r.statusCode());
              }
              return null;
            }));
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    boolean stillServing = "42".equals(bodyOf(send(http, url, "21")));
    int restarts = service.restarts();
    service.stop();
    spark.stop();

    List<Long> sorted = new ArrayList<>(latenciesMicros);
    Collections.sort(sorted);
    String table =
        "# Poison requests against a supervised head-node service ("
            + LocalDate.now()
            + ")\n\n"
            + "Spark "
            + SystemInfo.sparkVersion()
            + ", local[4], "
            + SystemInfo.nproc()
            + " processors, load average "
            + SystemInfo.loadAverage()
            + ". "
            + clients
            + " good clients in closed loops for "
            + seconds
            + " s; one poison request (`cast` of 'not-a-number' to int, ANSI) every "
            + poisonEvery
            + " s.\n\n"
            + "| figure | value |\n|---|---|\n"
            + "| poison requests sent (their statuses) | "
            + poisonStatuses.size()
            + " "
            + poisonStatuses
            + " |\n"
            + "| restarts | "
            + restarts
            + " |\n"
            + "| good requests answered correctly | "
            + ok.get()
            + " |\n"
            + "| good requests answered 500 (in the poison's batch) | "
            + collateral.get()
            + " |\n"
            + "| good requests with anything else | "
            + other.get()
            + " |\n"
            + "| good latency p50 / p99 / max | "
            + millis(sorted, 0.50)
            + " / "
            + millis(sorted, 0.99)
            + " / "
            + millis(sorted, 1.0)
            + " ms |\n"
            + "| serving after the run | "
            + stillServing
            + " |\n";
    System.out.println(table);
    Path out = Path.of("bench/results/" + LocalDate.now() + "-poison.md");
    if (Files.isDirectory(out.getParent()) && !Files.exists(out)) {
      Files.writeString(out, table);
    }
  }

  private static String millis(List<Long> sortedMicros, double q) {
    if (sortedMicros.isEmpty()) {
      return "-";
    }
    int i = (int) Math.min(sortedMicros.size() - 1, Math.floor(q * (sortedMicros.size() - 1)));
    return String.format("%.1f", sortedMicros.get(i) / 1000.0);
  }

  private static String bodyOf(HttpResponse<String> r) {
    return r == null ? null : r.body();
  }

  private static HttpResponse<String> send(HttpClient http, String url, String body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(90))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null;
    }
  }
}
