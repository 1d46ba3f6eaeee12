package org.sparkserving.bench;

/**
 * What every load is aimed at: a started contender's endpoint, the source of request bodies and the
 * per-request timeout.
 *
 * @param endpoint where to send requests and how to check the replies
 * @param bodies a distinct body for every request of the run
 * @param timeoutMs per-request connect and read timeout
 */
record LoadTarget(Contender.Endpoint endpoint, RequestBodies bodies, int timeoutMs) {

  /** A new, unconnected simulated client of this target. */
  SimulatedClient newClient() {
    return new SimulatedClient(endpoint, bodies, timeoutMs);
  }
}
