package org.sparkserving.http;

/**
 * The origin of a request names the service instance that holds its client: {@code
 * host:port/instanceId}.
 */
public final class Origins {

  private Origins() {}

  public static String of(String address, String instanceId) {
    return address + "/" + instanceId;
  }

  /** The {@code host:port} part. */
  public static String address(String origin) {
    int slash = origin.lastIndexOf('/');
    return slash < 0 ? origin : origin.substring(0, slash);
  }

  /** The instance id part. */
  public static String instanceId(String origin) {
    return origin.substring(origin.lastIndexOf('/') + 1);
  }
}
