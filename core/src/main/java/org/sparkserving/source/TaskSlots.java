package org.sparkserving.source;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.sparkserving.api.ServingOptions;

/**
 * Refuses a low-latency query that could never run all its partitions at once. Continuous and
 * real-time tasks hold their slot for as long as they run, and Spark does not complain when some
 * cannot start: those partitions silently read nothing.
 */
final class TaskSlots {

  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

  private TaskSlots() {}

  static void require(int partitions, String trigger) {
    SparkContext sc = SparkContext.getOrCreate();
    int slots = slots(sc);
    if (partitions > slots) {
      throw new IllegalArgumentException(
          "Invalid value '"
              + partitions
              + "' for option '"
              + ServingOptions.NUM_PARTITIONS
              + "': must be at most the "
              + slots
              + " task slots of this application, because "
              + trigger
              + " runs every partition at once and would silently starve the others");
    }
  }

  /** Task slots of the application: its cores divided by spark.task.cpus. */
  static int slots(SparkContext sc) {
    int cpusPerTask = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    Matcher local = LOCAL.matcher(sc.master().toLowerCase(Locale.ROOT));
    int cores;
    if (local.matches()) {
      String n = local.group(1);
      cores =
          n == null
              ? 1
              : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    } else {
      cores = sc.defaultParallelism();
    }
    return Math.max(1, cores / cpusPerTask);
  }
}
