package org.sparkserving.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed loop: N clients, each sending its next request as soon as the previous reply arrives. It
 * measures the most a contender can do with N requests in flight; latency runs from the send, which
 * is fair here because no request is ever due before the previous one finished.
 *
 * <p>All clients warm up together, then measure together, so the measured phase starts under the
 * same load it ends with. A client stops after its request budget or when the phase ends, whichever
 * comes first; each request is bounded by the client timeout.
 */
final class ClosedLoop {

  /** When the warm-up ends and the measured phase ends, fixed once every client is connected. */
  private record Phases(long measureStart, long measureEnd) {}

  private final LoadTarget target;

  ClosedLoop(LoadTarget target) {
    this.target = target;
  }

  /**
   * Runs the loop.
   *
   * @param clients simultaneous clients, one connection each
   * @param requestsPerClient measured requests per client at most ({@link Long#MAX_VALUE}: no limit
   *     but time)
   * @param measure the measured phase's length at most
   */
  LoadResult run(
      String contender,
      String label,
      int clients,
      long requestsPerClient,
      Duration warmup,
      Duration measure)
      throws InterruptedException {
    ClientCrew<Phases> crew =
        new ClientCrew<>(
            target,
            clients,
            1,
            "closed-" + label,
            (phases, client, windows) ->
                clientLoop(client, windows.at(0), phases, requestsPerClient));
    crew.awaitConnected();
    long measureStart = System.nanoTime() + warmup.toNanos();
    Phases phases = new Phases(measureStart, measureStart + measure.toNanos());
    crew.start(phases);
    ClientCrew.Outcome outcome = crew.finish(phases.measureEnd());

    Tally total = outcome.total();
    long end = total.lastDoneNanos == Long.MIN_VALUE ? phases.measureEnd() : total.lastDoneNanos;
    List<String> notes = new ArrayList<>();
    if (outcome.stuckNote() != null) {
      notes.add(outcome.stuckNote());
    }
    if (requestsPerClient != Long.MAX_VALUE && total.requests() < requestsPerClient * clients) {
      notes.add(
          "time limit reached after "
              + total.requests()
              + " of "
              + requestsPerClient * clients
              + " requests");
    }
    String note = notes.isEmpty() ? null : String.join("; ", notes);
    return new LoadResult(contender, label, total, end - measureStart, note);
  }

  private static void clientLoop(
      SimulatedClient client, Tally tally, Phases phases, long maxRequests) {
    Tally discarded = new Tally();
    for (long now = System.nanoTime(); now < phases.measureStart(); now = System.nanoTime()) {
      client.call(now, discarded);
    }
    for (long sent = 0; sent < maxRequests; sent++) {
      long now = System.nanoTime();
      if (now >= phases.measureEnd()) {
        break;
      }
      client.call(now, tally);
    }
  }
}
