package org.sparkserving.cluster;

import org.apache.spark.SparkEnv;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InstanceIdentity;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.ServiceSecrets;

/** The executor's side of distributed mode: one server per service in this JVM. */
final class ExecutorServers {

  private ExecutorServers() {}

  /** This JVM's server of the plan's service, started now unless it already runs. */
  static synchronized LaunchedServer ensure(LaunchPlan plan) {
    SparkEnv env = SparkEnv.get();
    String executorId = env.executorId();
    String host = env.blockManager().blockManagerId().host();
    ServingEndpoint endpoint = find(plan.serviceKey());
    if (endpoint == null) {
      ServiceSecrets.learnKey(plan.serviceKey(), plan.secret());
      endpoint =
          HttpServers.open(
              plan.config().requireName(),
              InstanceIdentity.ofService(plan.serviceKey(), plan.secret()),
              plan.config().hostOr(host),
              plan.config().port(),
              plan.config().limits(),
              plan.config().serverThreads(),
              SparkAddresses.executor(env));
      if (!"driver".equals(executorId)) {
        // An executor's server lives only while the driver renews it (in local mode the driver's
        // own JVM holds it, and it dies with the driver anyway).
        LeaseWatch.watch(endpoint, plan.config().leaseTimeoutMs());
      }
    }
    return new LaunchedServer(executorId, host, endpoint.origin(), endpoint.url());
  }

  private static ServingEndpoint find(String serviceKey) {
    for (ServingEndpoint e : HttpServers.liveEndpoints()) {
      if (!e.isStopped() && Origins.serviceKey(e.origin()).equals(serviceKey)) {
        return e;
      }
    }
    return null;
  }
}
