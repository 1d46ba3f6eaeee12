package org.sparkserving.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated user: a {@link BenchClient} connection, the bodies it sends and the check of every
 * reply against what the contender must answer.
 */
final class SimulatedClient implements AutoCloseable {

  /**
   * A pause after a failed request: without it, a dead server would make a client spin through
   * thousands of refused connections a second and starve the process of CPU.
   */
  private static final long ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final BenchClient client;
  private final Contender.Endpoint endpoint;
  private final RequestBodies bodies;

  /**
   * @param url one of the endpoint's URLs, the one this client sends every request to
   */
  SimulatedClient(String url, Contender.Endpoint endpoint, RequestBodies bodies, int timeoutMs) {
    this.client = new BenchClient(url, timeoutMs);
    this.endpoint = endpoint;
    this.bodies = bodies;
  }

  /** Connects ahead of the first request; a failure here is retried by the first request. */
  void connectQuietly() {
    try {
      client.connect();
    } catch (IOException e) {
      // post() reconnects, and counts the failure if it persists.
    }
  }

  /**
   * Sends one request, waits for the reply and records the outcome.
   *
   * @param fromNanos where latency is measured from: now for a closed loop, the intended send time
   *     for an open loop (see {@link OpenLoop})
   */
  void call(long fromNanos, Tally tally) {
    String body = bodies.next();
    BenchClient.Response response;
    try {
      response = client.post(RequestBodies.utf8(body));
    } catch (IOException | RuntimeException e) {
      tally.recordError(e.toString(), System.nanoTime());
      LockSupport.parkNanos(ERROR_PAUSE_NANOS);
      return;
    }
    long done = System.nanoTime();
    if (response.status() != 200) {
      tally.recordError("HTTP " + response.status() + ": " + abbreviate(response.bodyText()), done);
      return;
    }
    String expected = endpoint.expectedReply().apply(body);
    String actual = response.bodyText();
    if (!expected.equals(actual)) {
      tally.recordMismatch(
          "sent " + body + ", expected " + abbreviate(expected) + ", got " + abbreviate(actual),
          done);
      return;
    }
    tally.recordOk(done - fromNanos, done);
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  @Override
  public void close() {
    client.close();
  }
}
