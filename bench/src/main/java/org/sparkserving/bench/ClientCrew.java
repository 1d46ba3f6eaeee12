package org.sparkserving.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A group of simulated clients, one thread and one kept-alive connection each, which is what both
 * load shapes are made of. Every thread connects, waits until the caller has fixed the plan (the
 * phase times of a closed loop, the schedule of an open one) once all clients are connected, then
 * works with its own client, recording into tallies of its own. The caller then waits for the
 * threads up to a deadline; what a thread still busy by then was recording is left out of the
 * result, since it may still change.
 *
 * <p>The measured phase may be split into consecutive windows (the soak reports one row per
 * window). A thread keeps one tally at a time, for the window it is in, and merges it into the
 * crew's total for that window when it moves to the next one or ends: memory stays one latency
 * histogram per thread however many windows there are, which matters when the soak measures the
 * heap of the JVM it runs in.
 *
 * @param <P> the plan handed to every thread when the crew starts
 */
final class ClientCrew<P> {

  /** What one client's thread does once the plan is known. */
  interface Work<P> {
    /**
     * @param windows where the thread records what each measured request did
     */
    void run(P plan, SimulatedClient client, Windows windows);
  }

  /**
   * One thread's tallies: the one of the window it is recording now, merged into the crew's totals
   * when the thread moves to another window or ends. Not thread-safe: one per thread.
   */
  static final class Windows {
    private final Tally[] totals;
    private int current = -1;
    private Tally tally;

    private Windows(Tally[] totals) {
      this.totals = totals;
    }

    /** The tally to record a request of window {@code w} in. */
    Tally at(int w) {
      if (w != current) {
        flush();
        current = w;
        tally = new Tally();
      }
      return tally;
    }

    /** Merges the current window's tally into the crew's total for it. */
    void flush() {
      if (tally != null) {
        synchronized (totals) {
          totals[current].add(tally);
        }
        tally = null;
        current = -1;
      }
    }
  }

  /**
   * What the crew did: per window, the merged tallies of what the threads recorded in time.
   *
   * @param windows the merged tallies, one per window
   * @param stuck threads still busy at the deadline, whose current window is left out
   */
  record Outcome(Tally[] windows, int stuck) {

    Tally total() {
      return windows[0];
    }

    /** A note for the result table when threads had to be left out, else null. */
    String stuckNote() {
      return stuck == 0 ? null : stuck + " client(s) still busy at the time limit, left out";
    }
  }

  /** Extra time for threads to notice the end and return, past the last request's timeout. */
  static final long JOIN_SLACK_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final int timeoutMs;
  private final List<SimulatedClient> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch connected;
  private final CountDownLatch go = new CountDownLatch(1);

  /** Per window, what the threads recorded and flushed so far; guarded by itself. */
  private final Tally[] totals;

  /** Written before {@link #go} opens, read by the threads after it: the latch orders both. */
  private P plan;

  /**
   * Creates the clients and starts their threads, which connect and then wait for {@link #start}.
   *
   * @param size clients, each with its own thread and connection
   * @param windows how many windows the measured phase is split into
   * @param name the threads' name prefix
   */
  ClientCrew(LoadTarget target, int size, int windows, String name, Work<P> work) {
    this.timeoutMs = target.timeoutMs();
    this.connected = new CountDownLatch(size);
    this.totals = new Tally[windows];
    for (int w = 0; w < windows; w++) {
      totals[w] = new Tally();
    }
    for (int i = 0; i < size; i++) {
      SimulatedClient client = target.newClient(i);
      clients.add(client);
      Thread t =
          new Thread(
              () -> {
                client.connectQuietly();
                connected.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                Windows own = new Windows(totals);
                try {
                  work.run(plan, client, own);
                } finally {
                  own.flush();
                }
              },
              name + "-" + i);
      // Daemon: a client stuck past every bound must not keep the JVM alive.
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Waits until every client has connected (or failed to: the first request retries), at most one
   * connect timeout and a second.
   */
  void awaitConnected() throws InterruptedException {
    connected.await(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
  }

  /** Hands every thread the plan and lets them go. */
  void start(P plan) {
    this.plan = plan;
    go.countDown();
  }

  /**
   * Waits for the threads until {@code lastRequestEndsNanos} plus one request timeout and some
   * slack, takes what they recorded and closes every client.
   *
   * @param lastRequestEndsNanos when the last request may be sent, from {@link System#nanoTime()}
   */
  Outcome finish(long lastRequestEndsNanos) throws InterruptedException {
    long deadline =
        lastRequestEndsNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + JOIN_SLACK_NANOS;
    int stuck = 0;
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          stuck++;
        }
      }
    } finally {
      clients.forEach(SimulatedClient::close);
    }
    // A copy: a stuck thread may still flush into the totals later.
    Tally[] merged = new Tally[totals.length];
    synchronized (totals) {
      for (int w = 0; w < totals.length; w++) {
        merged[w] = new Tally();
        merged[w].add(totals[w]);
      }
    }
    return new Outcome(merged, stuck);
  }
}
