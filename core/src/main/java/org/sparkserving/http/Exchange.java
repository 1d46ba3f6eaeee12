package org.sparkserving.http;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request and its waiting client. It ends exactly once: by its reply, its timeout, the
 * service stopping, or the client going away; whatever comes second is ignored.
 */
public final class Exchange {

  private final long seq;
  private final ServingEndpoint endpoint;
  private final ResponseSlot slot;
  private final AtomicBoolean done = new AtomicBoolean();

  /** Dropped once the request's batch is committed: only the waiting client must live on. */
  private volatile ServingRequest request;

  /** Guarded by publication before the exchange becomes readable; cancelled on completion. */
  private volatile ScheduledFuture<?> timeout;

  Exchange(long seq, ServingEndpoint endpoint, ServingRequest request, ResponseSlot slot) {
    this.seq = seq;
    this.endpoint = endpoint;
    this.request = request;
    this.slot = slot;
  }

  /** The request's sequence number within its service instance, from 1. */
  public long seq() {
    return seq;
  }

  /** The request, or null once its batch was committed or the exchange ended. */
  public ServingRequest request() {
    return request;
  }

  public boolean isDone() {
    return done.get();
  }

  void setTimeout(ScheduledFuture<?> timeout) {
    this.timeout = timeout;
  }

  void releaseRequest() {
    request = null;
  }

  /**
   * Answers the client with {@code reply} unless the exchange already ended.
   *
   * @return true if this call answered the client, false if it had been answered before
   */
  boolean complete(Reply reply) {
    if (!end()) {
      return false;
    }
    slot.fill(reply);
    return true;
  }

  /** Ends the exchange without writing anything: its client is gone. */
  void abandon() {
    end();
  }

  private boolean end() {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
    request = null;
    endpoint.forget(seq);
    return true;
  }
}
