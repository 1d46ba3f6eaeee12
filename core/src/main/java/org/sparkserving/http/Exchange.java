package org.sparkserving.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One admitted request and its waiting client. It ends exactly once: by its reply, its timeout, the
 * service stopping, or the client going away; whatever comes second is ignored.
 */
public final class Exchange {

  private final long seq;
  private final ServingEndpoint endpoint;
  private final ResponseSlot slot;
  private final AtomicBoolean done = new AtomicBoolean();

  /**
   * Dropped once the request's batch is committed: only the waiting client must live on. Dropped
   * exactly once (through {@link #REQUEST}), which gives its bytes back to the server's budget
   * (maxPendingBytes).
   */
  private volatile ServingRequest request;

  private static final AtomicReferenceFieldUpdater<Exchange, ServingRequest> REQUEST =
      AtomicReferenceFieldUpdater.newUpdater(Exchange.class, ServingRequest.class, "request");

  /** What the request counts against the server's maxPendingBytes until it is dropped. */
  private final long heldBytes;

  /** System.nanoTime() after which the client gets 504; never decreases with seq. */
  private final long deadlineNanos;

  Exchange(
      long seq,
      ServingEndpoint endpoint,
      ServingRequest request,
      ResponseSlot slot,
      long deadlineNanos,
      long heldBytes) {
    this.heldBytes = heldBytes;
    this.seq = seq;
    this.endpoint = endpoint;
    this.request = request;
    this.slot = slot;
    this.deadlineNanos = deadlineNanos;
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

  long deadlineNanos() {
    return deadlineNanos;
  }

  ServingEndpoint endpoint() {
    return endpoint;
  }

  void releaseRequest() {
    ServingRequest dropped = REQUEST.getAndSet(this, null);
    if (dropped != null && heldBytes > 0) {
      endpoint.releaseBody(heldBytes);
    }
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

  /**
   * Ends the exchange without writing anything: its client is gone.
   *
   * @return true if this call ended it (the request was abandoned before its reply)
   */
  boolean abandon() {
    return end();
  }

  private boolean end() {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    releaseRequest();
    endpoint.forget(seq);
    return true;
  }
}
