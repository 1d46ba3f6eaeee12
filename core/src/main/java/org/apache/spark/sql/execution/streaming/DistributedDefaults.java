package org.apache.spark.sql.execution.streaming;

import java.util.Map;
import java.util.TreeMap;
import org.sparkserving.api.ServingOptions;

/** {@code mode=distributed} unless the options say otherwise. */
final class DistributedDefaults {

  private DistributedDefaults() {}

  static Map<String, String> apply(Map<String, String> options) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    out.put(ServingOptions.MODE, "distributed");
    out.putAll(options);
    return out;
  }
}
