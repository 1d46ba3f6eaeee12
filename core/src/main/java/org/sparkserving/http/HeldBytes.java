package org.sparkserving.http;

import io.netty.handler.codec.http.HttpRequest;
import java.util.Iterator;
import java.util.Map;

/**
 * What a request costs the server's byte budget (maxPendingBytes) while it is held: its body, plus
 * its head (target and headers) with an allowance for the Java objects that hold them, so that a
 * flood of header-heavy requests is bounded like a flood of bodies. The same request always costs
 * the same, so what {@link LimitedAggregator} reserves is what is released later.
 */
final class HeldBytes {

  /** Object overhead of one request (request, map, slot, exchange), roughly. */
  private static final int PER_REQUEST = 256;

  /** Object overhead of one header (two strings and a map entry), roughly. */
  private static final int PER_HEADER = 96;

  private HeldBytes() {}

  static long ofHead(HttpRequest request) {
    long bytes = PER_REQUEST + request.uri().length() + request.method().name().length();
    Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      bytes += PER_HEADER + h.getKey().length() + h.getValue().length();
    }
    return bytes;
  }
}
