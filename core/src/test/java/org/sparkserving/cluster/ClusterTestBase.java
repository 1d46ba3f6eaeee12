package org.sparkserving.cluster;

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
import org.sparkserving.testing.SparkServingTestBase;
import org.sparkserving.testing.StandaloneCluster;

/**
 * Runs tests against a real standalone cluster on 127.0.0.1: a master and two one-core workers,
 * each worker's executor a JVM of its own, with this module's packaged jar shipped through {@code
 * spark.jars}. The test JVM is the driver.
 */
abstract class ClusterTestBase {

  static StandaloneCluster cluster;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() {
    cluster = StandaloneCluster.start(2);
    spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("spark-serving-cluster-tests")
            .config("spark.jars", StandaloneCluster.required("serving.jar"))
            .config(
                "spark.executor.extraClassPath", StandaloneCluster.required("serving.testClasses"))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
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
