package org.sparkserving.cluster;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.sparkserving.http.PeerAddress;

/**
 * Where the other JVMs of the application reach this one, as Spark itself sees it: the driver at
 * {@code spark.driver.host} (listening on {@code spark.driver.bindAddress} when set), an executor
 * at its block manager's host. Null where no other JVM takes part (local mode), so servers there
 * keep exactly the {@code host} option.
 */
public final class SparkAddresses {

  private static final String DRIVER = "driver";

  private SparkAddresses() {}

  /** The driver's address for the executors, or null in local mode. */
  public static PeerAddress driver(SparkContext sc) {
    if (sc.isLocal()) {
      return null;
    }
    String host = sc.conf().get("spark.driver.host");
    return new PeerAddress(host, sc.conf().get("spark.driver.bindAddress", host));
  }

  /** This executor's address for the driver and the other executors, or null in local mode. */
  static PeerAddress executor(SparkEnv env) {
    if (env.executorId().equals(DRIVER)) {
      return null;
    }
    String host = env.blockManager().blockManagerId().host();
    return new PeerAddress(host, host);
  }
}
