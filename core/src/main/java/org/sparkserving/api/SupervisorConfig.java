package org.sparkserving.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of {@code Serving.supervise}, parsed and checked once, with the same grammar and
 * error messages as the source's options.
 *
 * @param maxRestarts most restarts in a row without a completed batch in between
 * @param restartBackoffMs wait before the first restart after a healthy run
 * @param maxRestartBackoffMs longest wait before a restart
 * @param restartGracePeriodMs how long a failed query's server waits to be adopted
 */
public record SupervisorConfig(
    int maxRestarts, long restartBackoffMs, long maxRestartBackoffMs, long restartGracePeriodMs) {

  /** Parses settings (keys in any case); missing ones take their defaults. */
  public static SupervisorConfig parse(Map<String, String> settings) {
    Map<String, String> o = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    o.putAll(settings);
    long backoff =
        ServingConfig.timeOption(
            o, ServingOptions.RESTART_BACKOFF, ServingOptions.DEFAULT_RESTART_BACKOFF);
    long maxBackoff =
        ServingConfig.timeOption(
            o, ServingOptions.MAX_RESTART_BACKOFF, ServingOptions.DEFAULT_MAX_RESTART_BACKOFF);
    if (maxBackoff < backoff) {
      throw ServingConfig.invalid(
          ServingOptions.MAX_RESTART_BACKOFF,
          o.getOrDefault(
              ServingOptions.MAX_RESTART_BACKOFF, ServingOptions.DEFAULT_MAX_RESTART_BACKOFF),
          "at least restartBackoff (" + backoff + " ms)");
    }
    return new SupervisorConfig(
        ServingConfig.intOption(
            o,
            ServingOptions.MAX_RESTARTS,
            ServingOptions.DEFAULT_MAX_RESTARTS,
            0,
            Integer.MAX_VALUE),
        backoff,
        maxBackoff,
        ServingConfig.timeOption(
            o, ServingOptions.RESTART_GRACE_PERIOD, ServingOptions.DEFAULT_RESTART_GRACE_PERIOD));
  }
}
