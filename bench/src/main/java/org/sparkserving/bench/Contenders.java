package org.sparkserving.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The contenders known by name: add a line here to benchmark a new deployment shape. */
final class Contenders {

  private static final Map<String, Supplier<Contender>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("bare", BareContender::new);
    KNOWN.put("head-microbatch", HeadMicroBatchContender::new);
  }

  private Contenders() {}

  /** A fresh, unstarted contender. */
  static Contender create(String name) {
    Supplier<Contender> factory = KNOWN.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown contender '" + name + "'; known: " + String.join(", ", KNOWN.keySet()));
    }
    return factory.get();
  }

  static boolean isKnown(String name) {
    return KNOWN.containsKey(name);
  }
}
