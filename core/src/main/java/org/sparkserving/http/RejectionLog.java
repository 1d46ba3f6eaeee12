package org.sparkserving.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs refused requests (4xx, 503) without flooding: the first at once, then at most one summary
 * line per interval with the count and the latest reason. A flood of bad requests is exactly when a
 * log must stay readable.
 */
final class RejectionLog {

  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final Logger log;
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);

  RejectionLog(Logger log) {
    this.log = log;
  }

  void record(Object where, Reply reply) {
    record(
        where,
        "answered " + reply.status() + " " + new String(reply.body(), StandardCharsets.UTF_8));
  }

  /** Logs {@code what} happened at {@code where}, or counts it toward the next summary line. */
  void record(Object where, String what) {
    long now = System.nanoTime();
    long due = nextLogAt.get();
    if ((due == Long.MIN_VALUE || now - due >= 0)
        && nextLogAt.compareAndSet(due, now + INTERVAL_NANOS)) {
      long earlier = suppressed.getAndSet(0);
      log.warn(
          "{} {}{}",
          where,
          what,
          earlier == 0 ? "" : " (and " + earlier + " more such events in the last 10 s)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
