package org.sparkserving.bench;

import java.util.function.UnaryOperator;

/**
 * Something the load generators can measure: it starts a service, says where it listens and
 * what it must answer to each request body, and stops it again. A new deployment shape (a
 * continuous trigger, distributed mode) is one more implementation registered in {@link
 * Contenders}.
 */
public interface Contender {

  /** The name used on the command line and in the result table. */
  String name();

  /**
   * Starts the service and waits until it accepts requests.
   *
   * @return where to send requests and how to check the replies
   */
  Endpoint start() throws Exception;

  /**
   * What the contender saw inside itself since the last call (Spark batch timings, say), to print
   * under the table with the load just measured; null when it has nothing to say.
   */
  default String loadNote() {
    return null;
  }

  /** Stops the service and frees what it held; safe to call after a failed {@link #start()}. */
  void stop();

  /**
   * A started service.
   *
   * @param url an {@code http://127.0.0.1:<port>/<path>} URL to POST to
   * @param expectedReply the exact reply body the service must return for a given request body
   */
  record Endpoint(String url, UnaryOperator<String> expectedReply) {}
}
