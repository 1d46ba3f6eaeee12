package org.sparkserving.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Silences the loggers through which Spark reports a failed task, job and query with full stack
 * traces, for tests whose queries fail on purpose, so that the build's output stays readable. The
 * tests assert the failure's effects themselves.
 */
public final class QuietFailures implements AutoCloseable {

  /** Spark's loggers for a task, a job and a streaming query that fail (3.5 and 4.x names). */
  private static final List<String> LOGGERS =
      List.of(
          "org.apache.spark.executor.Executor",
          "org.apache.spark.util.Utils",
          "org.apache.spark.scheduler.TaskSetManager",
          "org.apache.spark.sql.execution.streaming",
          "org.apache.spark.sql.execution.datasources.v2");

  private final Map<String, Level> before = new LinkedHashMap<>();

  private QuietFailures() {
    for (String name : LOGGERS) {
      before.put(name, LogManager.getLogger(name).getLevel());
      Configurator.setLevel(name, Level.OFF);
    }
  }

  /** Silences them until {@link #close()}. */
  public static QuietFailures start() {
    return new QuietFailures();
  }

  @Override
  public void close() {
    before.forEach(Configurator::setLevel);
  }
}
