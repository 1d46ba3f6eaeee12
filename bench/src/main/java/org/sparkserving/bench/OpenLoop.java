package org.sparkserving.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open loop: requests are due at a fixed rate whatever the server does, like independent users
 * arriving. Request {@code i} is due at {@code start + i / rate}.
 *
 * <p>Coordinated omission is corrected by measuring each latency from the time the request was
 * <em>due</em>, not from when it was actually sent. When the server stalls, every sender is
 * blocked, requests fall behind schedule, and each late request is charged the time it waited to
 * be sent as well as its own round trip, as a real user arriving on schedule would have felt it.
 * Measuring from the actual send would instead hide the stall behind a few slow samples.
 *
 * <p>Bounds: at most {@code maxOutstanding} requests are in flight (one per sender thread and
 * connection); the schedule has a fixed number of requests; and anything not sent by the end of
 * the schedule plus the client timeout is counted as not sent instead of being sent late.
 */
final class OpenLoop {

  private static final long JOIN_SLACK_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Contender.Endpoint endpoint;
  private final RequestBodies bodies;
  private final int timeoutMs;

  OpenLoop(Contender.Endpoint endpoint, RequestBodies bodies, int timeoutMs) {
    this.endpoint = endpoint;
    this.bodies = bodies;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Runs the schedule: a warm-up at the same rate, then the measured phase.
   *
   * @param rate requests per second
   * @param maxOutstanding the most requests in flight at once
   */
  LoadResult run(
      String contender,
      String label,
      double rate,
      int maxOutstanding,
      Duration warmup,
      Duration measure)
      throws InterruptedException {
    double intervalNanos = 1e9 / rate;
    long warmCount = Math.round(warmup.toNanos() / intervalNanos);
    long measureCount = Math.max(1, Math.round(measure.toNanos() / intervalNanos));
    long totalCount = warmCount + measureCount;
    // Enough senders to keep a second's worth of requests in flight, within the bound.
    int senders = (int) Math.max(1, Math.min(maxOutstanding, Math.max(4, Math.ceil(rate))));

    AtomicLong nextTicket = new AtomicLong();
    List<SimulatedClient> sims = new ArrayList<>();
    List<Tally> tallies = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      SimulatedClient sim = new SimulatedClient(endpoint, bodies, timeoutMs);
      sim.connectQuietly();
      sims.add(sim);
      tallies.add(new Tally());
    }
    // Leave a moment for the threads to start before the first request is due.
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long measureStart = start + Math.round(warmCount * intervalNanos);
    long scheduleEnd = start + Math.round(totalCount * intervalNanos);
    long sendDeadline = scheduleEnd + TimeUnit.MILLISECONDS.toNanos(timeoutMs);

    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      SimulatedClient sim = sims.get(i);
      Tally tally = tallies.get(i);
      Tally discarded = new Tally();
      Thread t =
          new Thread(
              () -> {
                for (long ticket = nextTicket.getAndIncrement();
                    ticket < totalCount;
                    ticket = nextTicket.getAndIncrement()) {
                  long due = start + Math.round(ticket * intervalNanos);
                  long now = waitUntil(due);
                  if (now > sendDeadline) {
                    // Hopelessly late: stop, and let the count of missing requests show it.
                    return;
                  }
                  sim.call(due, ticket < warmCount ? discarded : tally);
                }
              },
              "open-" + label + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    long joinDeadline = sendDeadline + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + JOIN_SLACK_NANOS;
    Tally total = new Tally();
    int stuck = 0;
    for (int i = 0; i < senders; i++) {
      Thread t = threads.get(i);
      long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime()));
      t.join(waitMs);
      if (t.isAlive()) {
        stuck++;
      } else {
        total.add(tallies.get(i));
      }
    }
    sims.forEach(SimulatedClient::close);

    total.notSent = Math.max(0, measureCount - total.requests());
    long end = Math.max(scheduleEnd, total.lastDoneNanos);
    List<String> notes = new ArrayList<>();
    if (total.notSent > 0) {
      notes.add(
          total.notSent + " request(s) not sent by the time limit (counted as errors; the "
              + "contender fell behind, or raise --max-outstanding)");
    }
    if (stuck > 0) {
      notes.add(stuck + " sender(s) still busy at the time limit, left out");
    }
    String note = notes.isEmpty() ? null : String.join("; ", notes);
    return new LoadResult(contender, label, total, end - measureStart, note);
  }

  /** Sleeps until {@code due}; returns the time it woke. */
  private static long waitUntil(long due) {
    long now = System.nanoTime();
    // Bounded: each park sleeps toward the due time, so the loop ends once it is reached.
    while (now < due) {
      LockSupport.parkNanos(due - now);
      now = System.nanoTime();
    }
    return now;
  }
}
