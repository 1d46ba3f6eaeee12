package org.sparkserving.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.sparkserving.Serving;
import org.sparkserving.testing.SparkServingTestBase;

/**
 * A driver JVM of its own for {@link LeaseIT}: starts a distributed service on the cluster whose
 * master URL is its first argument, with the lease timeout of its second, reached by the executors
 * at the address of its third (its host's address on the test bed), prints {@code URL <url>} for
 * each executor's server and then {@code READY}, and runs until it is killed.
 */
public final class OrphanDriverMain {

  private OrphanDriverMain() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master(args[0])
            .appName("spark-serving-orphan-driver")
            .config("spark.jars", System.getProperty("serving.jar"))
            .config("spark.executor.extraClassPath", System.getProperty("serving.testClasses"))
            .config("spark.driver.host", args[2])
            .config("spark.driver.bindAddress", args[2])
            .config("spark.executor.memory", "512m")
            .config("spark.executor.cores", "1")
            .config("spark.cores.max", "2")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    SparkServingTestBase.serve(
        spark
            .readStream()
            .format("serving")
            .option("name", "orphan_api")
            .option("mode", "distributed")
            .option("leaseTimeout", args[1])
            .load()
            .withColumn("reply", concat(col("value"), lit("!"))),
        "reply",
        SparkServingTestBase.tempDir("orphan-checkpoint"));
    List<String> urls = Serving.awaitEndpoints("orphan_api", 120_000);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (Serving.endpoints("orphan_api").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    urls = Serving.endpoints("orphan_api");
    for (String url : urls) {
      System.out.println("URL " + url);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
