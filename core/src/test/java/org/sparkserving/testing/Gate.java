package org.sparkserving.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A SQL predicate {@code gate(value)}, always true, that holds the row whose value is "gate" until
 * the test opens the gate: it keeps a batch running while the test sends more requests (local mode:
 * same JVM).
 */
public final class Gate {

  private static volatile CountDownLatch reached = new CountDownLatch(1);
  private static volatile CountDownLatch opened = new CountDownLatch(1);

  private Gate() {}

  public static void register(SparkSession spark) {
    reached = new CountDownLatch(1);
    opened = new CountDownLatch(1);
    UserDefinedFunction gate =
        functions
            .udf(
                (UDF1<String, Boolean>)
                    v -> {
                      if ("gate".equals(v)) {
                        reached.countDown();
                        opened.await(60, TimeUnit.SECONDS);
                      }
                      return true;
                    },
                DataTypes.BooleanType)
            .asNondeterministic();
    spark.udf().register("gate", gate);
  }

  /** Waits until a task holds the "gate" row. */
  public static void awaitReached() throws InterruptedException {
    if (!reached.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("No task reached the gate");
    }
  }

  public static void open() {
    opened.countDown();
  }
}
