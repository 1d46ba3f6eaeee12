package org.apache.spark.sql.execution.streaming;

import java.util.Map;
import org.sparkserving.ServingProvider;

/**
 * The original Spark Serving's class name for its distributed source, kept so that its examples run
 * as written: {@code format("serving")} with {@code mode} defaulting to {@code distributed}.
 */
public final class DistributedHTTPSourceProvider extends ServingProvider {

  @Override
  protected Map<String, String> withDefaults(Map<String, String> options) {
    return DistributedDefaults.apply(options);
  }
}
