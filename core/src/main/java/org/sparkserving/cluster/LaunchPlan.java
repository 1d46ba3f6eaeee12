package org.sparkserving.cluster;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sparkserving.api.ServingConfig;

/**
 * What an executor needs to start its server of a distributed service: the options, the service's
 * key and its secret. Shipped inside the launch job's tasks, never in the job's options (which
 * Spark shows in its UI), so the driver keeps the plans here by service key while their queries
 * run.
 *
 * @param config the source's options
 * @param serviceKey the key every instance id of the service starts with
 * @param secret the service's secret; never logged
 */
public record LaunchPlan(ServingConfig config, String serviceKey, String secret)
    implements Serializable {

  private static final Map<String, LaunchPlan> ACTIVE = new ConcurrentHashMap<>();

  /** Makes the plan findable by {@link #find} on the driver until {@link #retire}. */
  void activate() {
    ACTIVE.put(serviceKey, this);
  }

  void retire() {
    ACTIVE.remove(serviceKey, this);
  }

  /** The active plan of a service, or null. */
  static LaunchPlan find(String serviceKey) {
    return ACTIVE.get(serviceKey);
  }

  @Override
  public String toString() {
    return "LaunchPlan[" + config.name() + ", " + serviceKey + "]";
  }
}
