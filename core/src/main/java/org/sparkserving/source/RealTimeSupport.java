package org.sparkserving.source;

import java.lang.reflect.Constructor;
import org.sparkserving.api.ServingConfig;

/**
 * Creates the real-time capable stream only where this Spark has real-time mode. Reflection keeps
 * every reference to {@link RealTimeServingStream} out of code that loads on older Spark lines:
 * even a verifier's type check would otherwise try to load it and fail there.
 */
final class RealTimeSupport {

  private static final String STREAM = "org.sparkserving.source.RealTimeServingStream";
  private static final Constructor<?> CONSTRUCTOR = constructor();

  private RealTimeSupport() {}

  private static Constructor<?> constructor() {
    try {
      Class.forName(
          "org.apache.spark.sql.connector.read.streaming.SupportsRealTimeMode",
          false,
          RealTimeSupport.class.getClassLoader());
      return Class.forName(STREAM)
          .getDeclaredConstructor(ServingConfig.class, ServiceServers.class, int.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  static ServingMicroBatchStream stream(
      ServingConfig config, ServiceServers servers, int numPartitions) {
    if (CONSTRUCTOR == null) {
      return new ServingMicroBatchStream(config, servers, numPartitions);
    }
    try {
      return (ServingMicroBatchStream) CONSTRUCTOR.newInstance(config, servers, numPartitions);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot create the real-time serving stream", e);
    }
  }
}
