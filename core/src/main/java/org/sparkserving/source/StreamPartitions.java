package org.sparkserving.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;

/** Planning and offsets shared by the continuous and real-time streams. */
final class StreamPartitions {

  private StreamPartitions() {}

  static InputPartition[] plan(ServiceServers servers, int numPartitions, ServingOffset start) {
    List<InputPartition> partitions = new ArrayList<>();
    for (ServiceServers.Server server : servers.live()) {
      for (int i = 0; i < numPartitions; i++) {
        String key = ServingPartitionOffset.key(server.origin(), i, numPartitions);
        partitions.add(
            new ServingStreamPartition(
                server.origin(),
                server.secret(),
                servers.registryUrl(),
                i,
                numPartitions,
                start.seq(key),
                server.locations()));
      }
    }
    return partitions.toArray(new InputPartition[0]);
  }

  static ServingOffset merge(PartitionOffset[] offsets) {
    Map<String, Long> seqs = new HashMap<>();
    for (PartitionOffset o : offsets) {
      ServingPartitionOffset p = (ServingPartitionOffset) o;
      seqs.put(p.key(), p.seq());
    }
    return new ServingOffset(seqs);
  }

  /** Releases the bodies of requests every partition of a server has passed. */
  static void commit(ServiceServers servers, ServingOffset end) {
    Map<String, Long> lowest = new HashMap<>();
    end.seqs()
        .forEach(
            (key, seq) -> {
              int hash = key.lastIndexOf('#');
              if (hash > 0) {
                lowest.merge(key.substring(0, hash), seq, Math::min);
              }
            });
    lowest.forEach(servers::commit);
  }
}
