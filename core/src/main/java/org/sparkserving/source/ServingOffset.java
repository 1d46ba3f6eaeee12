package org.sparkserving.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A micro-batch offset: for every server instance (its origin), the last admitted seq covered.
 * Serialized as a JSON object {@code {"host:port/instance": seq}}; instances with no requests yet
 * are left out, so an idle service produces no empty batches.
 */
final class ServingOffset extends Offset {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Long>> TYPE = new TypeReference<>() {};

  static final ServingOffset EMPTY = new ServingOffset(Map.of());

  private final Map<String, Long> seqs;

  ServingOffset(Map<String, Long> seqs) {
    TreeMap<String, Long> sorted = new TreeMap<>();
    seqs.forEach(
        (origin, seq) -> {
          if (seq > 0) {
            sorted.put(origin, seq);
          }
        });
    this.seqs = Collections.unmodifiableMap(sorted);
  }

  static ServingOffset fromJson(String json) {
    try {
      return new ServingOffset(MAPPER.readValue(json, TYPE));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a serving offset: " + json, e);
    }
  }

  /** The seq covered for {@code origin}; 0 when the offset does not name it. */
  long seq(String origin) {
    return seqs.getOrDefault(origin, 0L);
  }

  Map<String, Long> seqs() {
    return seqs;
  }

  @Override
  public String json() {
    try {
      return MAPPER.writeValueAsString(seqs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
