package org.sparkserving.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sums the status of a service's servers into the counters of the query's progress reports. */
final class ServerMetrics {

  private ServerMetrics() {}

  static Map<String, String> report(List<Map<String, Long>> statuses) {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (Map<String, Long> status : statuses) {
      status.forEach(
          (name, value) -> {
            if (!name.equals("lastSeq")) {
              sums.merge(name, value, Long::sum);
            }
          });
    }
    Map<String, String> out = new LinkedHashMap<>();
    sums.forEach((name, value) -> out.put(name, Long.toString(value)));
    out.put("servers", Integer.toString(statuses.size()));
    return out;
  }
}
