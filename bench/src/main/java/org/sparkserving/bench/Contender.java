package org.sparkserving.bench;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Something the load generators can measure: it starts a service, says where it listens and what it
 * must answer to each request body, and stops it again. A new deployment shape (a continuous
 * trigger, distributed mode) is one more implementation registered in {@link Contenders}.
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
   * Anything a reader of the results should know about how this contender was set up (a trigger
   * interval, say), printed once under the table; null when there is nothing to say.
   */
  default String setupNote() {
    return null;
  }

  /**
   * What the contender saw inside itself since the last call (Spark batch timings, say), to print
   * under the table with the load just measured; null when it has nothing to say.
   */
  default String loadNote() {
    return null;
  }

  /**
   * How many gaps in serving the contender knows of since it started, such as the boundaries
   * between real-time batches, during which requests wait. The sweep repeats a failed step once if
   * a gap fell in it, so that a boundary every 30 s does not decide the highest rate held.
   */
  default long servingGaps() {
    return 0;
  }

  /** Stops the service and frees what it held; safe to call after a failed {@link #start()}. */
  void stop();

  /**
   * A started service, served at one URL or at several (distributed mode: one server per executor).
   * Each simulated client is bound to one URL for its whole life, round robin over {@code urls} by
   * the client's index, so the load spreads evenly over the servers.
   *
   * @param urls {@code http://127.0.0.1:<port>/<path>} URLs to POST to, at least one
   * @param expectedReply the exact reply body the service must return for a given request body
   */
  record Endpoint(List<String> urls, UnaryOperator<String> expectedReply) {

    public Endpoint {
      urls = List.copyOf(urls);
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("An endpoint needs at least one URL");
      }
    }

    /** A service served at one URL. */
    public Endpoint(String url, UnaryOperator<String> expectedReply) {
      this(List.of(url), expectedReply);
    }

    /** The URL of the client with index {@code client}: round robin over {@link #urls}. */
    String urlFor(int client) {
      return urls.get(Math.floorMod(client, urls.size()));
    }
  }
}
