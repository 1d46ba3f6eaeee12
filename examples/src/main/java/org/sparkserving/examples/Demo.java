package org.sparkserving.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.upper;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.sparkserving.Serving;

/**
 * The README's demo: a web service on local Spark that answers every request with a JSON object
 * computed by an ordinary Spark query. Usage: {@code Demo [port]} (default 8888).
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) throws Exception {
    String port = args.length > 0 ? args[0] : "8888";
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("spark-serving-demo")
            .config("spark.ui.enabled", "false")
            .getOrCreate();

    Dataset<Row> requests =
        spark
            .readStream()
            .format("serving")
            .option("host", "localhost")
            .option("port", port)
            .option("name", "demo")
            .load();

    StreamingQuery query =
        requests
            .withColumn(
                "reply",
                struct(
                    upper(col("value")).as("upper"),
                    length(col("value")).as("length"),
                    col("request.method").as("method")))
            .writeStream()
            .format("serving")
            .option("name", "demo")
            .option("replyCol", "reply")
            .option(
                "checkpointLocation",
                java.nio.file.Files.createTempDirectory("serving-demo").toString())
            .start();

    String url = Serving.awaitEndpoints("demo", 60_000).get(0);
    System.out.println();
    System.out.println("Spark Serving demo is up at " + url);
    System.out.println("Try:  curl -d 'hello world' " + url);
    System.out.println("Stop with Ctrl-C.");
    System.out.println();
    query.awaitTermination();
  }
}
