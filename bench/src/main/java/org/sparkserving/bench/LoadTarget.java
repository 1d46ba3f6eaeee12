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

  /**
   * A new, unconnected simulated client of this target, bound to the endpoint's URL for index
   * {@code client} (round robin when the service has several URLs).
   */
  SimulatedClient newClient(int client) {
    return new SimulatedClient(endpoint.urlFor(client), endpoint, bodies, timeoutMs);
  }
}
