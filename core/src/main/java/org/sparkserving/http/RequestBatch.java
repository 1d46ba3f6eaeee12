package org.sparkserving.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Waiting requests handed to a reader in another JVM: a count followed by (seq, method, path,
 * query, headers, body) entries.
 */
public final class RequestBatch {

  private RequestBatch() {}

  /** One request with its seq. */
  public record Entry(long seq, ServingRequest request) {}

  static byte[] encode(List<Exchange> exchanges) {
    List<Entry> live = new ArrayList<>(exchanges.size());
    int size = 16;
    for (Exchange e : exchanges) {
      ServingRequest r = e.request();
      if (r != null) {
        live.add(new Entry(e.seq(), r));
        size += r.body().length + 256;
      }
    }
    return Wire.encodeList(
        live,
        Math.min(size, 1 << 24),
        (out, e) -> {
          ServingRequest r = e.request();
          out.writeLong(e.seq());
          Wire.writeString(out, r.method());
          Wire.writeString(out, r.path());
          Wire.writeString(out, r.query());
          Wire.writeMap(out, r.headers());
          Wire.writeBytes(out, r.body());
        });
  }

  /**
   * Decodes a batch.
   *
   * @throws IOException when the bytes are not a well-formed batch
   */
  public static List<Entry> decode(byte[] bytes) throws IOException {
    return Wire.decodeList(
        bytes,
        (in, limit) -> {
          long seq = in.readLong();
          String method = Wire.readString(in, limit);
          String path = Wire.readString(in, limit);
          String query = Wire.readString(in, limit);
          return new Entry(
              seq,
              new ServingRequest(
                  method, path, query, Wire.readMap(in, limit), Wire.readBytes(in, limit)));
        });
  }
}
