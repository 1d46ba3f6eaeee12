package org.sparkserving.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP servers of this JVM, shared by host and port so that one port can host several services,
 * and the JVM-wide lookup of live service instances by instance id (how a reader or a reply finds
 * its endpoint when it runs in the same JVM).
 */
public final class HttpServers {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServers.class);

  /** Guarded by the class lock: servers with an explicit port, by "host:port". */
  private static final Map<String, HttpServer> SHARED = new HashMap<>();

  private static final Map<String, ServingEndpoint> BY_INSTANCE = new ConcurrentHashMap<>();

  private HttpServers() {}

  /**
   * Opens service {@code name} on {@code host:port}, starting a server there unless this JVM
   * already runs one (port 0 always starts a new server on a free port).
   */
  public static ServingEndpoint open(
      String name, String host, int port, EndpointLimits limits, int workerThreads) {
    return open(name, InstanceIdentity.random(), host, port, limits, workerThreads, null);
  }

  /**
   * Opens service {@code name} on {@code host:port} in a JVM that other JVMs call at {@code peer}
   * (null: none do, as in local mode). A server this JVM already runs on {@code host:port} is
   * shared as it is: its reachability was decided when it started.
   */
  public static ServingEndpoint open(
      String name,
      InstanceIdentity identity,
      String host,
      int port,
      EndpointLimits limits,
      int workerThreads,
      PeerAddress peer) {
    synchronized (HttpServers.class) {
      HttpServer server = acquire(host, port, workerThreads, limits.server(), peer);
      boolean fresh = server.isIdle();
      try {
        ServingEndpoint endpoint = server.register(name, identity, limits);
        LOG.info(
            "Service '{}' listening at {} (instance {}{})",
            name,
            endpoint.url(),
            endpoint.instanceId(),
            server.internalAddress().equals(server.advertisedAddress())
                ? ""
                : "; internal calls at " + server.internalAddress());
        return endpoint;
      } catch (RuntimeException e) {
        if (fresh) {
          release(server);
        }
        throw e;
      }
    }
  }

  /**
   * The server on {@code host:port}, started with {@code limits} unless this JVM already runs it
   * (or port is 0); a running server keeps the limits it was started with.
   */
  private static HttpServer acquire(
      String host, int port, int workerThreads, ServerLimits limits, PeerAddress peer) {
    HttpServer server = port == 0 ? null : SHARED.get(host + ":" + port);
    if (server == null) {
      server = start(host, port, workerThreads, limits, peer);
      // Keyed by the bound port, so a service asking for it explicitly later joins this server.
      SHARED.put(host + ":" + server.port(), server);
    }
    return server;
  }

  /**
   * Keeps a server open on {@code host:port} without a service of its own, so that its internal
   * endpoints (the registry of {@link ServiceDirectory}) can be reached; run the returned action to
   * let it go.
   *
   * @return the server's {@code host:port} as others reach it, and how to release it
   */
  public static Held hold(String host, int port) {
    return hold(host, port, null);
  }

  /**
   * Like {@link #hold(String, int)} in a JVM that other JVMs call at {@code peer}: the returned
   * address is one every host can reach (the internal listener's when {@code host} is loopback).
   */
  public static Held hold(String host, int port, PeerAddress peer) {
    synchronized (HttpServers.class) {
      HttpServer server = acquire(host, port, 1, ServerLimits.DEFAULTS, peer);
      server.hold();
      return new Held(
          server.internalAddress(),
          () -> {
            synchronized (HttpServers.class) {
              server.unhold();
              release(server);
            }
          });
    }
  }

  /**
   * A server kept open by {@link #hold}.
   *
   * @param address {@code host:port} as other processes reach it
   * @param release lets the server go (it closes when nothing else uses it)
   */
  public record Held(String address, Runnable release) {}

  private static HttpServer start(
      String host, int port, int workerThreads, ServerLimits limits, PeerAddress peer) {
    try {
      return new HttpServer(host, port, workerThreads, limits, peer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while binding " + host + ":" + port, e);
    } catch (Exception e) {
      // Netty rethrows bind failures (e.g. BindException) unchecked-style from sync().
      throw new IllegalStateException(
          "Cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (option 'port': choose a free port, or 0 for any free port)",
          e);
    }
  }

  static synchronized void release(HttpServer server) {
    if (!server.isIdle()) {
      return;
    }
    SHARED.remove(server.host() + ":" + server.port(), server);
    server.close();
  }

  static void registerEndpoint(ServingEndpoint endpoint) {
    BY_INSTANCE.put(endpoint.instanceId(), endpoint);
  }

  static void unregisterEndpoint(ServingEndpoint endpoint) {
    BY_INSTANCE.remove(endpoint.instanceId(), endpoint);
  }

  /** The live service instance with this id in this JVM, or null. */
  public static ServingEndpoint findInstance(String instanceId) {
    return BY_INSTANCE.get(instanceId);
  }

  /** Every live service instance in this JVM. */
  public static List<ServingEndpoint> liveEndpoints() {
    return new ArrayList<>(BY_INSTANCE.values());
  }
}
