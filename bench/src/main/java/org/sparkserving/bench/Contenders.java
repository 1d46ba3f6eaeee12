package org.sparkserving.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The contenders known by name: add a line here to benchmark a new deployment shape. */
final class Contenders {

  private static final Map<String, Function<BenchOptions, Contender>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("bare", o -> new BareContender());
    KNOWN.put("head-microbatch", SparkContender::microBatch);
    KNOWN.put("head-continuous", SparkContender::continuous);
    KNOWN.put("head-realtime", SparkContender::realTime);
    // On a real standalone cluster on 127.0.0.1 (BenchCluster), started by the first of them.
    KNOWN.put("dist-microbatch-1", o -> SparkContender.distributedMicroBatch(o, 1));
    KNOWN.put("dist-microbatch-2", o -> SparkContender.distributedMicroBatch(o, 2));
    KNOWN.put("cluster-head-microbatch", SparkContender::clusterHeadMicroBatch);
    KNOWN.put("dist-continuous", SparkContender::distributedContinuous);
  }

  private Contenders() {}

  /** A fresh, unstarted contender, configured by the command line (Spark settings, say). */
  static Contender create(String name, BenchOptions options) {
    Function<BenchOptions, Contender> factory = KNOWN.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown contender '" + name + "'; known: " + String.join(", ", names()));
    }
    return factory.apply(options);
  }

  static boolean isKnown(String name) {
    return KNOWN.containsKey(name);
  }

  static Set<String> names() {
    return KNOWN.keySet();
  }
}
