package org.sparkserving.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The primitives of the internal wire format shared by request and reply batches. */
final class Wire {

  private Wire() {}

  /** Writes one entry of a list. */
  interface EntryWriter<T> {
    void write(DataOutputStream out, T entry) throws IOException;
  }

  /** Reads one entry of a list; {@code limit} bounds every length read. */
  interface EntryReader<T> {
    T read(DataInputStream in, int limit) throws IOException;
  }

  /** A count followed by the entries. */
  static <T> byte[] encodeList(List<T> entries, int sizeHint, EntryWriter<T> writer) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(sizeHint);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(entries.size());
      for (T e : entries) {
        writer.write(out, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads what {@link #encodeList} wrote.
   *
   * @throws IOException when the bytes are not a well-formed list
   */
  static <T> List<T> decodeList(byte[] bytes, EntryReader<T> reader) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    int n = in.readInt();
    if (n < 0 || n > bytes.length) {
      throw new IOException("bad count " + n);
    }
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(reader.read(in, bytes.length));
    }
    return out;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeBytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  static String readString(DataInputStream in, int limit) throws IOException {
    return in.readBoolean()
        ? new String(readBytes(in, limit), java.nio.charset.StandardCharsets.UTF_8)
        : null;
  }

  static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputStream in, int limit) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > limit) {
      throw new IOException("bad length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  static Map<String, String> readMap(DataInputStream in, int limit) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > limit) {
      throw new IOException("bad map size " + n);
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(readString(in, limit), readString(in, limit));
    }
    return map;
  }
}
