package org.sparkserving.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * A SQL function {@code failOnce(value)} that upper-cases its input but throws the first time it
 * sees "boom": a task failure injected from the user's own code (local mode: same JVM).
 */
public final class FailOnce {

  private static final AtomicBoolean FAILED = new AtomicBoolean();

  private FailOnce() {}

  public static void register(SparkSession spark) {
    FAILED.set(false);
    spark
        .udf()
        .register(
            "failOnce",
            (UDF1<String, String>)
                v -> {
                  if (v.equals("boom") && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure");
                  }
                  return v.toUpperCase();
                },
            DataTypes.StringType);
  }
}
