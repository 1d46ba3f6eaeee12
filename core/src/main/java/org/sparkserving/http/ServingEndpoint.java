package org.sparkserving.http;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One service instance on one HTTP server: it numbers admitted requests 1, 2, 3... and holds each
 * until it is answered. Readers take fixed seq ranges, so a retried task sees the same requests
 * again (minus those already answered). A new instance, even on the same port, has a new random
 * instance id, so replies meant for an older instance can never reach it.
 */
public final class ServingEndpoint {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final String instanceId;
  private final String secret;
  private final EndpointLimits limits;
  private final HttpServer server;

  /** Guards the pairing of seq assignment with insertion, and {@link #stopped}. */
  private final Object admitLock = new Object();

  /** Written under admitLock; every seq up to it is already in {@link #inFlight} or ended. */
  private volatile long lastSeq;

  /** Guarded by admitLock for writes. */
  private volatile boolean stopped;

  /** Guarded by admitLock: readers blocked in {@link #awaitAdmitted}. */
  private int waitingReaders;

  /**
   * Guarded by admitLock: remote long-polls waiting for a seq ({@link #whenAdmitted}), completed
   * off the lock by whichever admission (or stop) reaches them.
   */
  private final List<AdmissionWaiter> admissionWaiters = new ArrayList<>();

  /** A long-poll waiting for {@code seq}. */
  private record AdmissionWaiter(long seq, CompletableFuture<Boolean> future) {}

  /** When the driver last renewed this instance's lease ({@link System#nanoTime()}). */
  private volatile long leaseRenewedNanos = System.nanoTime();

  private final ConcurrentHashMap<Long, Exchange> inFlight = new ConcurrentHashMap<>();
  private final long timeoutNanos;
  private final ScheduledFuture<?> sweeper;

  /** Only the sweeper task touches it: every seq up to it has ended. */
  private long sweptUpTo;

  private final AtomicInteger pending = new AtomicInteger();

  /**
   * The highest seq any reader has taken (read directly or through the internal endpoint): when the
   * query fails, the requests up to it are the ones its failed tasks may have held.
   */
  private final AtomicLong highestTaken = new AtomicLong();

  private final EndpointMetrics metrics = new EndpointMetrics();

  ServingEndpoint(
      String name,
      InstanceIdentity identity,
      EndpointLimits limits,
      HttpServer server,
      ScheduledExecutorService scheduler) {
    this.name = name;
    this.limits = limits;
    this.server = server;
    this.instanceId = identity.instanceId();
    this.secret = identity.secret();
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.replyTimeoutMs());
    // One periodic sweep instead of a timer per request: no task to schedule or cancel on the
    // hot path. Timeouts fire at most one interval late.
    long intervalMs = Math.max(1, Math.min(50, limits.replyTimeoutMs() / 20));
    this.sweeper =
        scheduler.scheduleWithFixedDelay(
            this::expireOverdue, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Answers 504 to every request whose deadline passed, oldest first. */
  private void expireOverdue() {
    long now = System.nanoTime();
    long last = lastSeq;
    while (sweptUpTo < last) {
      Exchange e = inFlight.get(sweptUpTo + 1);
      if (e != null && e.deadlineNanos() - now > 0) {
        return;
      }
      if (e != null && e.complete(ErrorReplies.timedOut(limits.replyTimeoutMs()))) {
        metrics.timedOut.increment();
      }
      sweptUpTo++;
    }
  }

  static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public String name() {
    return name;
  }

  public String instanceId() {
    return instanceId;
  }

  /** The secret internal callers must present; never logged. */
  public String secret() {
    return secret;
  }

  public EndpointLimits limits() {
    return limits;
  }

  /** {@code host:port} where clients and other JVMs reach this endpoint. */
  public String address() {
    return server.advertisedAddress();
  }

  /**
   * The origin written into every row's id: where other JVMs make internal calls to this instance
   * ({@link HttpServer#internalAddress()}) plus its id.
   */
  public String origin() {
    return Origins.of(server.internalAddress(), instanceId);
  }

  /** The public URL of this service, e.g. {@code http://127.0.0.1:8888/my_api}. */
  public String url() {
    return server.scheme() + "://" + address() + "/" + name;
  }

  public EndpointMetrics metrics() {
    return metrics;
  }

  public boolean isStopped() {
    return stopped;
  }

  /** The highest seq admitted so far (0 before the first request). */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * The last admitted seq and the counters, by name ({@code lastSeq, pending, admitted, replied,
   * timedOut, rejected, duplicateReplies, abandoned, failedByQuery, requestsCalls}), then the
   * counters of the HTTP server it runs on, named {@code server.*} (shared by every service on that
   * server; see README, "Limits"): what the driver reads and sums for progress reports.
   */
  public Map<String, Long> status() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("lastSeq", lastSeq);
    out.put("pending", (long) pending.get());
    out.put("admitted", metrics.admitted());
    out.put("replied", metrics.replied());
    out.put("timedOut", metrics.timedOut());
    out.put("rejected", metrics.rejected());
    out.put("duplicateReplies", metrics.duplicateReplies());
    out.put("abandoned", metrics.abandoned());
    out.put("failedByQuery", metrics.failedByQuery());
    out.put("requestsCalls", metrics.requestsCalls());
    server.connectionMetrics().report(out, server.bodyBudget());
    return out;
  }

  /** Requests admitted and not yet ended. */
  public int pending() {
    return pending.get();
  }

  /**
   * Admits a request, or returns null when the service is overloaded or stopped (the caller then
   * answers with the reply that {@link #rejection()} gives).
   */
  Exchange admit(ServingRequest request, ResponseSlot slot, long heldBytes) {
    if (pending.incrementAndGet() > limits.maxPendingRequests()) {
      pending.decrementAndGet();
      metrics.rejected.increment();
      return null;
    }
    Exchange exchange;
    List<AdmissionWaiter> ready;
    synchronized (admitLock) {
      if (stopped) {
        pending.decrementAndGet();
        return null;
      }
      long seq = lastSeq + 1;
      // Taken under the lock, so deadlines grow with seq and the sweeper can stop at the first
      // exchange not yet due.
      exchange =
          new Exchange(seq, this, request, slot, System.nanoTime() + timeoutNanos, heldBytes);
      slot.attach(exchange);
      inFlight.put(seq, exchange);
      lastSeq = seq;
      if (waitingReaders > 0) {
        admitLock.notifyAll();
      }
      ready = admissionWaiters.isEmpty() ? null : takeWaiters(seq);
    }
    metrics.admitted.increment();
    if (ready != null) {
      // Completed off the lock: a long-poll's continuation writes its reply.
      ready.forEach(w -> w.future().complete(true));
    }
    return exchange;
  }

  /** The reply for a request that {@link #admit} refused. */
  Reply rejection() {
    return stopped
        ? ErrorReplies.stopped(name)
        : ErrorReplies.overloaded(limits.maxPendingRequests());
  }

  /**
   * Blocks until request {@code seq} has been admitted, the endpoint stopped, or {@code timeoutMs}
   * passed. Continuous and real-time readers wait here instead of polling.
   *
   * @return true if {@code seq} is admitted
   */
  public boolean awaitAdmitted(long seq, long timeoutMs) throws InterruptedException {
    if (lastSeq >= seq) {
      return true;
    }
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    synchronized (admitLock) {
      waitingReaders++;
      try {
        while (lastSeq < seq && !stopped) {
          long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
          if (leftMs <= 0) {
            return false;
          }
          admitLock.wait(leftMs);
        }
        return lastSeq >= seq;
      } finally {
        waitingReaders--;
      }
    }
  }

  /**
   * Completes with true once request {@code seq} has been admitted, or with false when the endpoint
   * stopped first; never blocks. For remote long-polls, which must not hold a Netty event loop
   * while they wait: the caller bounds the wait (e.g. {@code completeOnTimeout(false, ...)}).
   */
  public CompletableFuture<Boolean> whenAdmitted(long seq) {
    synchronized (admitLock) {
      if (lastSeq >= seq || stopped) {
        return CompletableFuture.completedFuture(lastSeq >= seq);
      }
      // Drop waiters that timed out meanwhile, so an idle service keeps none.
      admissionWaiters.removeIf(w -> w.future().isDone());
      CompletableFuture<Boolean> future = new CompletableFuture<>();
      admissionWaiters.add(new AdmissionWaiter(seq, future));
      return future;
    }
  }

  /** Called holding admitLock: removes and returns the waiters whose seq is now admitted. */
  private List<AdmissionWaiter> takeWaiters(long upToSeq) {
    List<AdmissionWaiter> ready = new ArrayList<>();
    admissionWaiters.removeIf(
        w -> {
          boolean take = w.seq() <= upToSeq || w.future().isDone();
          if (take) {
            ready.add(w);
          }
          return take;
        });
    return ready;
  }

  /** The driver renewed this instance's lease (distributed mode; see {@code leaseTimeout}). */
  public void renewLease() {
    leaseRenewedNanos = System.nanoTime();
  }

  /** Milliseconds since the lease was last renewed (or since the instance started). */
  public long msSinceLeaseRenewal() {
    return (System.nanoTime() - leaseRenewedNanos) / 1_000_000L;
  }

  /** The request with this seq if it is still waiting and readable, else null. */
  public Exchange waiting(long seq) {
    highestTaken.accumulateAndGet(seq, Math::max);
    Exchange e = inFlight.get(seq);
    return e != null && e.request() != null ? e : null;
  }

  /** Requests with seq in (fromExclusive, toInclusive] that are still waiting, in seq order. */
  public List<Exchange> read(long fromExclusive, long toInclusive) {
    highestTaken.accumulateAndGet(Math.min(toInclusive, lastSeq), Math::max);
    List<Exchange> out = new ArrayList<>((int) Math.min(toInclusive - fromExclusive, 4096));
    for (long seq = fromExclusive + 1; seq <= toInclusive; seq++) {
      Exchange e = inFlight.get(seq);
      if (e != null && e.request() != null) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Answers request {@code seq}. A second reply for the same request (a retried task) or a reply
   * for a request that already ended is counted and dropped.
   *
   * @return true if the client was answered by this call
   */
  public boolean reply(long seq, Reply reply) {
    Exchange e = inFlight.get(seq);
    if (e != null && e.complete(reply)) {
      metrics.replied.increment();
      return true;
    }
    if (seq > 0 && seq <= lastSeq) {
      metrics.duplicateReplies.increment();
    } else {
      metrics.unknownReplies.increment();
    }
    return false;
  }

  /**
   * Called when a batch ending at {@code upToSeq} is committed: such requests will never be read
   * again, so only their waiting clients are kept, not their bodies.
   */
  public void commit(long upToSeq) {
    for (Exchange e : inFlight.values()) {
      if (e.seq() <= upToSeq) {
        e.releaseRequest();
      }
    }
  }

  /** A request was dropped: its bytes no longer count against maxPendingBytes. */
  void releaseBody(long bytes) {
    server.bodyBudget().release(bytes);
  }

  /**
   * The query failed: answers {@code failure} to every request that it may have been processing,
   * those with seq up to {@code upToSeq} (the end of the last batch it planned) or up to the
   * highest seq a reader took, whichever is higher. A restarted query that replays the range then
   * skips them, so the request that made the query fail cannot make it fail again. Later requests
   * keep waiting for the restarted query.
   *
   * @return how many clients this call answered
   */
  public int failTaken(long upToSeq, Reply failure) {
    long upTo = Math.max(upToSeq, highestTaken.get());
    int answered = 0;
    for (Exchange e : inFlight.values()) {
      if (e.seq() <= upTo && e.complete(failure)) {
        answered++;
      }
    }
    metrics.failedByQuery.add(answered);
    return answered;
  }

  /**
   * Answers {@code failure} to the requests with seq in {@code (fromExclusive, toInclusive]} that
   * are still waiting: a failed task's range, so that Spark's retry of it skips them.
   *
   * @return how many clients this call answered
   */
  public int failRange(long fromExclusive, long toInclusive, Reply failure) {
    int answered = 0;
    for (long seq = fromExclusive + 1; seq <= toInclusive; seq++) {
      Exchange e = inFlight.get(seq);
      if (e != null && e.complete(failure)) {
        answered++;
      }
    }
    metrics.failedByQuery.add(answered);
    return answered;
  }

  void forget(long seq) {
    if (inFlight.remove(seq) != null) {
      pending.decrementAndGet();
    }
  }

  /**
   * Stops admitting, answers every waiting client with {@code finalReply} and leaves the server
   * (closing it when no other service uses it).
   */
  public void stop(Reply finalReply) {
    List<AdmissionWaiter> waiters;
    synchronized (admitLock) {
      if (stopped) {
        return;
      }
      stopped = true;
      admitLock.notifyAll();
      waiters = new ArrayList<>(admissionWaiters);
      admissionWaiters.clear();
    }
    waiters.forEach(w -> w.future().complete(false));
    sweeper.cancel(false);
    int answered = 0;
    for (Exchange e : inFlight.values()) {
      if (e.complete(finalReply)) {
        answered++;
      }
    }
    if (finalReply.status() == 500) {
      metrics.failedByQuery.add(answered);
    }
    server.unregister(this);
  }

  @Override
  public String toString() {
    return "ServingEndpoint[" + name + " at " + origin() + "]";
  }
}
