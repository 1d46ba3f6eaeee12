package org.sparkserving.http;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one service instance; cheap to bump from any thread. */
public final class EndpointMetrics {
  final LongAdder admitted = new LongAdder();
  final LongAdder replied = new LongAdder();
  final LongAdder timedOut = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder duplicateReplies = new LongAdder();
  final LongAdder unknownReplies = new LongAdder();
  final LongAdder forgedCalls = new LongAdder();
  final LongAdder requestsCalls = new LongAdder();
  final LongAdder abandoned = new LongAdder();
  final LongAdder failedByQuery = new LongAdder();

  public long admitted() {
    return admitted.sum();
  }

  public long replied() {
    return replied.sum();
  }

  public long timedOut() {
    return timedOut.sum();
  }

  /** Requests refused with 503 because maxPendingRequests were waiting. */
  public long rejected() {
    return rejected.sum();
  }

  /** Second replies for a request that had already ended (retried tasks): dropped. */
  public long duplicateReplies() {
    return duplicateReplies.sum();
  }

  /** Replies naming a seq this instance never admitted. */
  public long unknownReplies() {
    return unknownReplies.sum();
  }

  /** Internal calls refused for a missing or wrong secret. */
  public long forgedCalls() {
    return forgedCalls.sum();
  }

  /**
   * Internal {@code requests} calls served: remote readers pulling requests (a long-poll in the
   * continuous and real-time triggers, so an idle partition makes about one a second).
   */
  public long requestsCalls() {
    return requestsCalls.sum();
  }

  /** Requests whose client closed its connection before the reply. */
  public long abandoned() {
    return abandoned.sum();
  }

  /** Requests answered 500 because the query failed while they were taken or waiting. */
  public long failedByQuery() {
    return failedByQuery.sum();
  }
}
