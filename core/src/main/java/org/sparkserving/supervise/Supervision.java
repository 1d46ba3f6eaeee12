package org.sparkserving.supervise;

import org.apache.spark.SparkContext;

/**
 * The marker a supervisor puts on the thread that starts its query, as a Spark local property: the
 * query's thread inherits it, so the query's streams know that a failure will be followed by a
 * restart on the same checkpoint, and which supervisor's restart may adopt their server.
 *
 * @param token identifies one supervisor in this JVM
 * @param graceMs how long a failed query's server waits to be adopted
 * @param restarts how many restarts came before this run (for the progress metrics)
 */
public record Supervision(String token, long graceMs, int restarts) {

  /** The local property; a query started outside a supervisor does not have it. */
  public static final String PROPERTY = "sparkserving.supervision";

  /** The supervision of the query running on this thread, or null if it is not supervised. */
  public static Supervision current() {
    String raw;
    try {
      raw = SparkContext.getOrCreate().getLocalProperty(PROPERTY);
    } catch (RuntimeException e) {
      return null;
    }
    if (raw == null) {
      return null;
    }
    String[] parts = raw.split(";");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new Supervision(parts[0], Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The property's value. */
  public String encode() {
    return token + ";" + graceMs + ";" + restarts;
  }

  /** The key under which a failed query's server for {@code checkpoint} waits to be adopted. */
  public String adoptionKey(String checkpoint) {
    return token + "|" + checkpoint;
  }
}
