package org.sparkserving.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small JSON request bodies such as {@code {"id":123,"text":"hello"}}, each with a new id. Distinct
 * bodies make a reply sent to the wrong client, or a stale reply, show up as a mismatch instead of
 * passing unnoticed.
 */
final class RequestBodies {

  private final AtomicLong nextId = new AtomicLong(1);

  /** The next body; thread-safe, and no two calls return the same text. */
  String next() {
    return "{\"id\":" + nextId.getAndIncrement() + ",\"text\":\"hello\"}";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
