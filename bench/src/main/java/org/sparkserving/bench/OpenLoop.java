package org.sparkserving.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An open loop: requests are due at a fixed rate whatever the server does, like independent users
 * arriving. Request {@code i} is due at {@code start + i / rate}.
 *
 * <p>Coordinated omission is corrected by measuring each latency from the time the request was
 * <em>due</em>, not from when it was actually sent. When the server stalls, every sender is
 * blocked, requests fall behind schedule, and each late request is charged the time it waited to be
 * sent as well as its own round trip, as a real user arriving on schedule would have felt it.
 * Measuring from the actual send would instead hide the stall behind a few slow samples.
 *
 * <p>Bounds: at most {@code maxOutstanding} requests are in flight (one per sender thread and
 * connection); the schedule has a fixed number of requests; and anything not sent by the end of the
 * schedule plus the client timeout is counted as not sent instead of being sent late.
 *
 * <p>One instance runs one schedule at a time; {@link #inFlight()} and {@link #behind()} may be
 * read from any thread while it runs (the soak samples them).
 */
final class OpenLoop {

  /**
   * The schedule, fixed once every sender is connected. The measured phase may be split into
   * consecutive windows, each with its own tallies (the soak reports one row per window).
   *
   * @param start when ticket 0 is due
   * @param intervalNanos time between two due times
   * @param warmCount tickets of the warm-up, which come first and are not recorded
   * @param measureCount tickets of the measured phase
   * @param windows how many windows the measured phase is split into
   * @param sendDeadline a ticket not sent by then is abandoned
   */
  record Schedule(
      long start,
      double intervalNanos,
      long warmCount,
      long measureCount,
      int windows,
      long sendDeadline) {

    long due(long ticket) {
      return start + Math.round(ticket * intervalNanos);
    }

    long total() {
      return warmCount + measureCount;
    }

    long measureStart() {
      return due(warmCount);
    }

    long end() {
      return due(total());
    }

    /** The first measured ticket (counted from the measured phase's start) of window {@code w}. */
    long firstOfWindow(int w) {
      return (w * measureCount + windows - 1) / windows;
    }

    /** The window a measured ticket falls in. */
    int windowOf(long ticket) {
      return (int) ((ticket - warmCount) * windows / measureCount);
    }
  }

  private final LoadTarget target;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong nextTicket = new AtomicLong();
  private volatile Schedule current;

  OpenLoop(LoadTarget target) {
    this.target = target;
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
    return runWindows(contender, w -> label, rate, maxOutstanding, warmup, measure, 1).get(0);
  }

  /**
   * Runs the schedule with its measured phase split into {@code windows} consecutive windows of
   * equal length, and returns one result per window. Each request belongs to the window in which it
   * was due.
   *
   * @param labels the load label of each window, by index
   */
  List<LoadResult> runWindows(
      String contender,
      IntFunction<String> labels,
      double rate,
      int maxOutstanding,
      Duration warmup,
      Duration measure,
      int windows)
      throws InterruptedException {
    double intervalNanos = 1e9 / rate;
    long warmCount = Math.round(warmup.toNanos() / intervalNanos);
    long measureCount = Math.max(windows, Math.round(measure.toNanos() / intervalNanos));
    // Enough senders to keep a second's worth of requests in flight, within the bound.
    int senders = (int) Math.max(1, Math.min(maxOutstanding, Math.max(4, Math.ceil(rate))));

    ClientCrew<Schedule> crew =
        new ClientCrew<>(target, senders, windows, "open-" + labels.apply(0), this::send);
    crew.awaitConnected();
    // Leave a moment for the threads to wake before the first request is due.
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long end = start + Math.round((warmCount + measureCount) * intervalNanos);
    Schedule schedule =
        new Schedule(
            start,
            intervalNanos,
            warmCount,
            measureCount,
            windows,
            end + TimeUnit.MILLISECONDS.toNanos(target.timeoutMs()));
    nextTicket.set(0);
    inFlight.set(0);
    current = schedule;
    crew.start(schedule);
    ClientCrew.Outcome outcome;
    try {
      outcome = crew.finish(schedule.sendDeadline());
    } finally {
      current = null;
    }

    List<LoadResult> results = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      Tally tally = outcome.windows()[w];
      long first = schedule.firstOfWindow(w);
      long next = w + 1 == windows ? measureCount : schedule.firstOfWindow(w + 1);
      tally.notSent = Math.max(0, next - first - tally.requests());
      long windowStart = schedule.due(warmCount + first);
      long windowEnd = schedule.due(warmCount + next);
      if (w + 1 == windows) {
        windowEnd = Math.max(windowEnd, tally.lastDoneNanos);
      }
      List<String> notes = new ArrayList<>();
      if (tally.notSent > 0) {
        notes.add(
            tally.notSent
                + " request(s) not sent by the time limit (counted as errors; the "
                + "contender fell behind, or raise --max-outstanding)");
      }
      if (outcome.stuckNote() != null) {
        notes.add(outcome.stuckNote());
      }
      String note = notes.isEmpty() ? null : String.join("; ", notes);
      results.add(new LoadResult(contender, labels.apply(w), tally, windowEnd - windowStart, note));
    }
    return results;
  }

  /** The schedule running now, or null between runs. */
  Schedule schedule() {
    return current;
  }

  /** Requests sent and not answered yet, now. */
  long inFlight() {
    return inFlight.get();
  }

  /** Requests already due that no sender has taken yet (the schedule's backlog), now. */
  long behind() {
    Schedule s = current;
    if (s == null) {
      return 0;
    }
    long dueByNow = (long) Math.floor((System.nanoTime() - s.start()) / s.intervalNanos()) + 1;
    return Math.max(0, Math.min(dueByNow, s.total()) - nextTicket.get());
  }

  /** One sender: takes the next ticket, waits until it is due, sends it, records it. */
  private void send(Schedule s, SimulatedClient client, ClientCrew.Windows windows) {
    Tally discarded = new Tally();
    for (long ticket = nextTicket.getAndIncrement();
        ticket < s.total();
        ticket = nextTicket.getAndIncrement()) {
      long due = s.due(ticket);
      long now = waitUntil(due);
      if (now > s.sendDeadline()) {
        // Hopelessly late: stop, and let the count of missing requests show it.
        return;
      }
      inFlight.incrementAndGet();
      try {
        client.call(due, ticket < s.warmCount() ? discarded : windows.at(s.windowOf(ticket)));
      } finally {
        inFlight.decrementAndGet();
      }
    }
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
