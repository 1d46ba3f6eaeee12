package org.sparkserving.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes a server may hold at once (option maxPendingBytes). Bytes are reserved as
 * a body arrives and released when its request is refused, answered, abandoned or committed.
 */
final class ByteBudget {

  private final long max;
  private final AtomicLong used = new AtomicLong();

  ByteBudget(long max) {
    this.max = max;
  }

  long max() {
    return max;
  }

  long used() {
    return used.get();
  }

  /** True if {@code bytes} more would still fit, without reserving them. */
  boolean fits(long bytes) {
    return used.get() + bytes <= max;
  }

  /** Reserves {@code bytes}, or returns false (reserving nothing) when they do not fit. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > max) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    long left = used.addAndGet(-bytes);
    if (left < 0) {
      throw new IllegalStateException("released " + bytes + " bytes, leaving " + left);
    }
  }
}
