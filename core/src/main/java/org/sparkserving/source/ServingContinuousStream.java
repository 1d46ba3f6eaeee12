package org.sparkserving.source;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.ContinuousPartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.ContinuousStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;

/**
 * Continuous-processing reads of a service: every partition reads its slice of the server's
 * requests as they arrive, so a request is answered in about a millisecond instead of a batch. The
 * offset is, per partition, the last seq it passed.
 */
final class ServingContinuousStream implements ContinuousStream, ReportsSourceMetrics {

  private final ServiceServers servers;
  private final int numPartitions;

  /** Whether clients of a failed query hear the failure's message (option includeErrorDetails). */
  private final boolean includeErrorDetails;

  ServingContinuousStream(ServiceServers servers, int numPartitions, boolean includeErrorDetails) {
    this.servers = servers;
    this.numPartitions = numPartitions;
    this.includeErrorDetails = includeErrorDetails;
  }

  /** The servers the running partitions read; a change means Spark must plan again. */
  private volatile Set<String> planned = Set.of();

  @Override
  public InputPartition[] planInputPartitions(Offset start) {
    planned = origins();
    return StreamPartitions.plan(servers, numPartitions, (ServingOffset) start);
  }

  /**
   * True once an executor's server came or went (distributed mode): Spark then restarts the
   * partitions from the last committed epoch, planned over the servers live now.
   */
  @Override
  public boolean needsReconfiguration() {
    return !planned.equals(origins());
  }

  private Set<String> origins() {
    Set<String> out = new HashSet<>();
    servers.live().forEach(s -> out.add(s.origin()));
    return out;
  }

  @Override
  public ContinuousPartitionReaderFactory createContinuousReaderFactory() {
    return ServingContinuousReaderFactory.INSTANCE;
  }

  @Override
  public Offset mergeOffsets(PartitionOffset[] offsets) {
    return StreamPartitions.merge(offsets);
  }

  @Override
  public Offset initialOffset() {
    return ServingOffset.EMPTY;
  }

  @Override
  public Offset deserializeOffset(String json) {
    return ServingOffset.fromJson(json);
  }

  @Override
  public void commit(Offset end) {
    StreamPartitions.commit(servers, (ServingOffset) end);
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    return servers.metrics();
  }

  @Override
  public void stop() {
    Throwable failure = QueryEnd.failureOfCurrentQuery();
    if (failure == null) {
      servers.stop(null);
    } else {
      // Readers record the highest seq they took; that bounds what the failed epoch held.
      servers.fail(QueryEnd.clientReason(failure, includeErrorDetails), Map.of());
    }
  }

  @Override
  public String toString() {
    return "ServingContinuousStream[" + servers + "]";
  }
}
