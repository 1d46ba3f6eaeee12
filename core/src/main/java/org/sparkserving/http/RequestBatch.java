package org.sparkserving.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      List<Entry> live = new ArrayList<>(exchanges.size());
      for (Exchange e : exchanges) {
        ServingRequest r = e.request();
        if (r != null) {
          live.add(new Entry(e.seq(), r));
        }
      }
      out.writeInt(live.size());
      for (Entry e : live) {
        ServingRequest r = e.request();
        out.writeLong(e.seq());
        Wire.writeString(out, r.method());
        Wire.writeString(out, r.path());
        Wire.writeString(out, r.query());
        Wire.writeMap(out, r.headers());
        Wire.writeBytes(out, r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Decodes a batch.
   *
   * @throws IOException when the bytes are not a well-formed batch
   */
  public static List<Entry> decode(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    int n = Wire.count(in, bytes.length);
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long seq = in.readLong();
      String method = Wire.readString(in, bytes.length);
      String path = Wire.readString(in, bytes.length);
      String query = Wire.readString(in, bytes.length);
      out.add(new Entry(seq, new ServingRequest(method, path, query,
          Wire.readMap(in, bytes.length), Wire.readBytes(in, bytes.length))));
    }
    return out;
  }
}
