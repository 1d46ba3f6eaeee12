package org.sparkserving.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.sparkserving.Serving;
import org.sparkserving.http.HttpServers;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.HostBed;
import org.sparkserving.testing.SparkServingTestBase;
import org.sparkserving.testing.StandaloneCluster;

/**
 * Runs tests against a real standalone cluster where every Spark process is a host of its own: a
 * {@link HostBed} of three network namespaces holds the master and two one-core workers (each
 * worker's executor a JVM of its own, on its worker's host), and the test JVM, the driver, joins
 * the bed from the root namespace as {@link HostBed#rootAddress()}. So {@code localhost} means a
 * different machine to each process, as on a real cluster. This module's packaged jar ships through
 * {@code spark.jars}. Without root and {@code ip}, every test fails saying so.
 */
abstract class ClusterTestBase {

  static HostBed bed;
  static StandaloneCluster cluster;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() {
    bed = HostBed.create(3);
    cluster = StandaloneCluster.startOn(bed, 2);
    spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("spark-serving-cluster-tests")
            .config("spark.jars", StandaloneCluster.required("serving.jar"))
            .config(
                "spark.executor.extraClassPath", StandaloneCluster.required("serving.testClasses"))
            // The driver's address on the bed, as Spark would find it on a real cluster's host.
            .config("spark.driver.host", bed.rootAddress())
            .config("spark.driver.bindAddress", bed.rootAddress())
            .config("spark.executor.memory", "512m")
            .config("spark.executor.cores", "1")
            .config("spark.cores.max", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            // Joins shuffle both sides, so replies really cross executors.
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .getOrCreate();
    awaitExecutors(2);
  }

  /** Waits until {@code n} executors (besides the driver) are registered. */
  static void awaitExecutors(int n) {
    Await.until(
        Duration.ofSeconds(120),
        n + " executors",
        () -> spark.sparkContext().statusTracker().getExecutorInfos().length == n + 1);
  }

  @AfterEach
  void stopQueries() throws TimeoutException {
    for (StreamingQuery q : spark.streams().active()) {
      q.stop();
    }
    Await.until(
        Duration.ofSeconds(30),
        "every driver-side server closed",
        () -> HttpServers.liveEndpoints().isEmpty());
  }

  @AfterAll
  static void stopCluster() {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  /** The bed addresses of the workers' hosts, in order. */
  static List<String> workerAddresses() {
    return List.of(cluster.workerHost(0).address(), cluster.workerHost(1).address());
  }

  /**
   * {@code GET url} from a process on {@code host} (python3's urllib, which CI installs), so the
   * call really comes from another machine of the bed. Returns the body.
   */
  static String getOn(HostBed.Host host, String url) {
    return bed.run(
            host,
            60,
            "python3",
            "-c",
            "import sys, urllib.request; "
                + "sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())",
            url)
        .trim();
  }

  /** The host part of a URL such as {@code http://198.18.7.2:41234/my_api}. */
  static String hostOf(String url) {
    return URI.create(url).getHost();
  }

  static StreamingQuery serve(Dataset<Row> output, String replyCol) {
    return SparkServingTestBase.serve(
        output, replyCol, SparkServingTestBase.tempDir("cluster-checkpoint"));
  }

  /** Waits until {@code name} is served by exactly {@code n} URLs, and returns them. */
  static List<String> awaitEndpoints(String name, int n) {
    Await.until(
        Duration.ofSeconds(120),
        name + " served by " + n + " endpoint(s), now " + Serving.endpoints(name),
        () -> Serving.endpoints(name).size() == n);
    return Serving.endpoints(name);
  }
}
