package org.sparkserving.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies travelling to the JVM that holds their clients, many per internal call. The wire form is
 * a count followed by (seq, status, content type, headers, body) entries.
 */
public final class ReplyBatch {

  /** One reply addressed by seq. */
  public record Entry(long seq, Reply reply) {}

  private final List<Entry> entries = new ArrayList<>();
  private long bytes;

  public void add(long seq, Reply reply) {
    entries.add(new Entry(seq, reply));
    bytes += encodedSize(reply);
  }

  /** About how many bytes {@code reply} takes in a batch: its body, headers and framing. */
  public static long encodedSize(Reply reply) {
    long size = reply.body().length + 64L;
    if (reply.contentType() != null) {
      size += reply.contentType().length() * 3L;
    }
    for (java.util.Map.Entry<String, String> h : reply.headers().entrySet()) {
      // UTF-8 takes at most 3 bytes per char of a Java string.
      size += 8 + 3L * (h.getKey().length() + h.getValue().length());
    }
    return size;
  }

  public int size() {
    return entries.size();
  }

  /** A rough size of the encoded batch, to bound it. */
  public long approximateBytes() {
    return bytes;
  }

  public byte[] encode() {
    return Wire.encodeList(
        entries,
        (int) Math.min(bytes + 16, 1 << 24),
        (out, e) -> {
          Reply r = e.reply();
          out.writeLong(e.seq());
          out.writeInt(r.status());
          Wire.writeString(out, r.contentType());
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
          int status = in.readInt();
          String contentType = Wire.readString(in, limit);
          return new Entry(
              seq,
              new Reply(status, contentType, Wire.readMap(in, limit), Wire.readBytes(in, limit)));
        });
  }
}
