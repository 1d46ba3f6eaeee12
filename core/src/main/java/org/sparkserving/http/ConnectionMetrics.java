package org.sparkserving.http;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one HTTP server, which several services may share: every service reports them in
 * its status with a {@code server.} prefix, so each query's progress shows the server it runs on.
 * Cheap to bump from any thread.
 */
final class ConnectionMetrics {
  /** Connections open now, counted from accept until their socket is closed. */
  final AtomicInteger open = new AtomicInteger();

  final LongAdder refusedConnections = new LongAdder();
  final LongAdder closedIdle = new LongAdder();
  final LongAdder closedSlow = new LongAdder();
  final LongAdder closedStalled = new LongAdder();
  final LongAdder pausedConnections = new LongAdder();
  final LongAdder refusedBodies = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();

  /** Adds the counters to {@code out}, each named {@code server.<counter>}. */
  void report(Map<String, Long> out, ByteBudget bodies) {
    out.put("server.connections", (long) open.get());
    out.put("server.refusedConnections", refusedConnections.sum());
    out.put("server.closedIdle", closedIdle.sum());
    out.put("server.closedSlow", closedSlow.sum());
    out.put("server.closedStalled", closedStalled.sum());
    out.put("server.pausedConnections", pausedConnections.sum());
    out.put("server.refusedBodies", refusedBodies.sum());
    out.put("server.protocolErrors", protocolErrors.sum());
    out.put("server.pendingBytes", bodies.used());
  }
}
