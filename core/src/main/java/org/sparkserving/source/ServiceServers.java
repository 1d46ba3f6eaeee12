package org.sparkserving.source;

import java.util.List;
import java.util.Map;

/**
 * The servers of one service as the driver's stream sees them: one on the driver (head-node mode,
 * {@link HeadServers}) or one per executor (distributed mode, {@link DistributedServers}). The
 * streams plan, commit and stop through this alone, so both deployments share every other line.
 */
interface ServiceServers {

  /** One live server instance of the service. */
  interface Server {
    String origin();

    String secret();

    /** The last admitted seq, or -1 when the server cannot be reached right now. */
    long lastSeq();

    /** Spark locations where partitions reading this server should run; may be empty. */
    String[] locations();
  }

  /** The servers that serve now. */
  List<Server> live();

  /** The live server with this origin, or null. */
  Server find(String origin);

  /**
   * Where the driver lists the service's live servers ({@code GET /_serving/services/<name>}): a
   * reader whose server refuses connections asks it whether the server is gone or unreachable.
   */
  String registryUrl();

  /** Counters of the service's servers, summed, for the query's progress reports. */
  Map<String, String> metrics();

  /** A batch ending at {@code seq} of server {@code origin} was committed. */
  void commit(String origin, long seq);

  /**
   * Stops every server and releases its port. Waiting clients get 503, or 500 with the reason when
   * {@code failure} is not null (the query failed).
   */
  void stop(String failure);

  /**
   * The query failed with {@code failure} (what clients may hear); {@code planned} is, per origin,
   * the end of the last batch the stream planned. By default the servers stop, answering 500;
   * {@link HeadServers} of a supervised query instead answers the requests the query may have taken
   * and waits for the restarted query.
   */
  default void fail(String failure, Map<String, Long> planned) {
    stop(failure);
  }
}
