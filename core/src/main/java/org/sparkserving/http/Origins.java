package org.sparkserving.http;

/**
 * The origin of a request names the service instance that holds its client: {@code
 * host:port/instanceId}. The instances of one distributed service share a secret and a service key,
 * the instance id's part before {@value #KEY_SEPARATOR} ({@code key.suffix}); a head-node instance
 * is its own service, so its key is its whole id.
 */
public final class Origins {

  private Origins() {}

  public static final char KEY_SEPARATOR = '.';

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

  /** The key of the service that owns the instance: whose secret its internal calls need. */
  public static String serviceKey(String origin) {
    String id = instanceId(origin);
    int dot = id.indexOf(KEY_SEPARATOR);
    return dot < 0 ? id : id.substring(0, dot);
  }
}
