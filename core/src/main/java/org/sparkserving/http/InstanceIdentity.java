package org.sparkserving.http;

/**
 * Who a service instance is: its id, written into every request's origin, and the secret that
 * internal calls to it must present (never logged).
 */
public record InstanceIdentity(String instanceId, String secret) {

  /** A head-node instance: a service of its own, with a fresh random id and secret. */
  public static InstanceIdentity random() {
    return new InstanceIdentity(ServingEndpoint.randomHex(8), newSecret());
  }

  /**
   * One of the instances of a distributed service: its id starts with the service's key, and it
   * shares the service's secret.
   */
  public static InstanceIdentity ofService(String serviceKey, String secret) {
    return new InstanceIdentity(
        serviceKey + Origins.KEY_SEPARATOR + ServingEndpoint.randomHex(4), secret);
  }

  /** A new random key for a distributed service. */
  public static String newServiceKey() {
    return ServingEndpoint.randomHex(8);
  }

  /** A new random secret. */
  public static String newSecret() {
    return ServingEndpoint.randomHex(24);
  }

  @Override
  public String toString() {
    return "InstanceIdentity[" + instanceId + "]";
  }
}
