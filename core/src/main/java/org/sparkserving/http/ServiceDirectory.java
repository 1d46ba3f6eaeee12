package org.sparkserving.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The driver's answer to "which URLs serve this service right now?", by service name. A distributed
 * service lists its executors' servers here; a service without an entry is served by the instances
 * of this JVM. Read by {@code GET /_serving/services/<name>} on every server of this JVM and by
 * {@code org.sparkserving.Serving#endpoints}.
 */
public final class ServiceDirectory {

  /**
   * One listed service.
   *
   * @param registryAddress {@code host:port} of the server that answers registry calls for it
   * @param urls the URLs of its live servers, computed on each call
   */
  public record Listing(String registryAddress, Supplier<List<String>> urls) {}

  private static final Map<String, Listing> LISTINGS = new ConcurrentHashMap<>();

  private ServiceDirectory() {}

  public static void list(String name, Listing listing) {
    LISTINGS.put(name, listing);
  }

  public static void unlist(String name, Listing listing) {
    LISTINGS.remove(name, listing);
  }

  /** The listing of a distributed service, or null. */
  public static Listing find(String name) {
    return LISTINGS.get(name);
  }

  /** The URLs serving {@code name}, sorted; empty when it is not served. */
  public static List<String> urls(String name) {
    Listing listing = LISTINGS.get(name);
    if (listing != null) {
      return listing.urls().get().stream().sorted().toList();
    }
    return HttpServers.liveEndpoints().stream()
        .filter(e -> e.name().equals(name) && !e.isStopped())
        .map(ServingEndpoint::url)
        .sorted()
        .toList();
  }

  /** Every service name this JVM can answer for. */
  public static List<String> names() {
    java.util.Set<String> names = new java.util.TreeSet<>(LISTINGS.keySet());
    for (ServingEndpoint e : HttpServers.liveEndpoints()) {
      if (!e.isStopped()) {
        names.add(e.name());
      }
    }
    return List.copyOf(names);
  }
}
