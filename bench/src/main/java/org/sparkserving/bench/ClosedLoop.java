package org.sparkserving.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed loop: N clients, each sending its next request as soon as the previous reply arrives.
 * It measures the most a contender can do with N requests in flight; latency runs from the send,
 * which is fair here because no request is ever due before the previous one finished.
 *
 * <p>All clients warm up together, then measure together, so the measured phase starts under the
 * same load it ends with. A client stops after its request budget or when the phase ends,
 * whichever comes first; each request is bounded by the client timeout.
 */
final class ClosedLoop {

  /** Extra time for threads to notice the end and return, past the last request's timeout. */
  private static final long JOIN_SLACK_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Contender.Endpoint endpoint;
  private final RequestBodies bodies;
  private final int timeoutMs;

  ClosedLoop(Contender.Endpoint endpoint, RequestBodies bodies, int timeoutMs) {
    this.endpoint = endpoint;
    this.bodies = bodies;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Runs the loop.
   *
   * @param clients simultaneous clients, one connection each
   * @param requestsPerClient measured requests per client at most ({@link Long#MAX_VALUE}: no
   *     limit but time)
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
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    long[] phase = new long[2]; // warm-up end, measure end; written before go, read after it
    List<Thread> threads = new ArrayList<>();
    List<Tally> tallies = new ArrayList<>();
    List<SimulatedClient> sims = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      SimulatedClient sim = new SimulatedClient(endpoint, bodies, timeoutMs);
      Tally tally = new Tally();
      sims.add(sim);
      tallies.add(tally);
      Thread t =
          new Thread(
              () -> {
                sim.connectQuietly();
                ready.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                clientLoop(sim, tally, phase[0], phase[1], requestsPerClient);
              },
              "closed-" + label + "-" + i);
      // Daemon: a client stuck past every bound must not keep the JVM alive.
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    ready.await(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    long measureStart = start + warmup.toNanos();
    phase[0] = measureStart;
    phase[1] = measureStart + measure.toNanos();
    go.countDown();

    long joinDeadline = phase[1] + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + JOIN_SLACK_NANOS;
    Tally total = new Tally();
    int stuck = 0;
    for (int i = 0; i < clients; i++) {
      Thread t = threads.get(i);
      long waitNanos = Math.max(1, joinDeadline - System.nanoTime());
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
      if (t.isAlive()) {
        // Its tally may still change; leave it out rather than read it mid-update.
        stuck++;
      } else {
        total.add(tallies.get(i));
      }
    }
    sims.forEach(SimulatedClient::close);

    long end = total.lastDoneNanos == Long.MIN_VALUE ? phase[1] : total.lastDoneNanos;
    List<String> notes = new ArrayList<>();
    if (stuck > 0) {
      notes.add(stuck + " client(s) still busy at the time limit, left out");
    }
    if (requestsPerClient != Long.MAX_VALUE && total.requests() < requestsPerClient * clients) {
      notes.add(
          "time limit reached after " + total.requests() + " of "
              + requestsPerClient * clients + " requests");
    }
    String note = notes.isEmpty() ? null : String.join("; ", notes);
    return new LoadResult(contender, label, total, end - measureStart, note);
  }

  private static void clientLoop(
      SimulatedClient sim, Tally tally, long measureStart, long measureEnd, long maxRequests) {
    Tally discarded = new Tally();
    for (long now = System.nanoTime(); now < measureStart; now = System.nanoTime()) {
      sim.call(now, discarded);
    }
    for (long sent = 0; sent < maxRequests; sent++) {
      long now = System.nanoTime();
      if (now >= measureEnd) {
        break;
      }
      sim.call(now, tally);
    }
  }
}
