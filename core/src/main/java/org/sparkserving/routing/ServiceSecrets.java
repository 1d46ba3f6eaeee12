package org.sparkserving.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sparkserving.http.Origins;

/**
 * The secrets of the services this JVM has heard of, by service key. A secret reaches an executor
 * inside the tasks Spark ships there (input partitions, writer factories); whatever deserializes it
 * records it here, so that any later code in the JVM (a {@code foreach} writer built before the
 * query started, a helper that answers bad input early) can route replies to other JVMs. Values are
 * never logged.
 */
public final class ServiceSecrets {

  private static final Map<String, String> BY_KEY = new ConcurrentHashMap<>();

  private ServiceSecrets() {}

  /** Records the secret of the service that owns {@code origin}. */
  public static void learn(String origin, String secret) {
    if (secret != null) {
      BY_KEY.put(Origins.serviceKey(origin), secret);
    }
  }

  /** Records the secret of a service by its key. */
  public static void learnKey(String serviceKey, String secret) {
    BY_KEY.put(serviceKey, secret);
  }

  /** Every secret this JVM knows, by service key. */
  public static Map<String, String> known() {
    return Map.copyOf(BY_KEY);
  }

  /** Records every secret of a map keyed by service key. */
  public static void learnAll(Map<String, String> secretsByKey) {
    BY_KEY.putAll(secretsByKey);
  }

  /** The secret for internal calls to {@code origin}, or null when this JVM never learnt it. */
  public static String forOrigin(String origin) {
    return BY_KEY.get(Origins.serviceKey(origin));
  }
}
