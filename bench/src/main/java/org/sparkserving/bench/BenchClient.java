package org.sparkserving.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A blocking HTTP/1.1 client over one kept-alive socket, written for measurement: each request is
 * one write of pre-built header bytes plus the body, and the reply is parsed straight off a
 * buffered stream with no per-request objects beyond the body. General-purpose clients add
 * connection pools, executors and futures whose cost would be charged to the server under test.
 *
 * <p>One instance is one simulated client; it is not thread-safe. After any error it drops the
 * connection and opens a fresh one for the next request, as a real client would.
 */
final class BenchClient implements AutoCloseable {

  /** Longest status or header line accepted; a server sending more is broken. */
  private static final int MAX_LINE = 8192;

  /** Largest reply body accepted; the benchmark's replies are a few dozen bytes. */
  private static final int MAX_BODY = 16 << 20;

  private final InetSocketAddress address;
  private final int timeoutMs;
  private final byte[] headPrefix;

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] lineBuffer = new byte[MAX_LINE];

  /** A server's reply: its status code and body. */
  record Response(int status, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * @param url where to POST; its host must be the loopback address
   * @param timeoutMs connect and read timeout, so a stuck server cannot hang a client
   */
  BenchClient(String url, int timeoutMs) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("Only http:// URLs are supported: " + url);
    }
    String host = uri.getHost();
    if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
      // The benchmark floods its target: never aim it at another machine by mistake.
      throw new IllegalArgumentException("The benchmark only targets 127.0.0.1, not " + host);
    }
    this.address = new InetSocketAddress("127.0.0.1", uri.getPort());
    this.timeoutMs = timeoutMs;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    this.headPrefix =
        ("POST "
                + path
                + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + uri.getPort()
                + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends one POST and waits for its whole reply.
   *
   * @throws IOException on any connection, timeout or protocol error; the connection is then closed
   *     and the next call reconnects
   */
  Response post(byte[] body) throws IOException {
    try {
      if (socket == null) {
        connect();
      }
      out.write(request(body));
      out.flush();
      return readResponse();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens the connection now, so connection setup is not charged to the first request. */
  void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMs);
      s.connect(address, timeoutMs);
      in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      out = s.getOutputStream();
      socket = s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Head and body in one array, so the request leaves in one write (one segment, no Nagle). */
  private byte[] request(byte[] body) {
    byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(headPrefix, headPrefix.length + length.length + body.length);
    System.arraycopy(length, 0, all, headPrefix.length, length.length);
    System.arraycopy(body, 0, all, headPrefix.length + length.length, body.length);
    return all;
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    // "HTTP/1.1 200 OK": the code is the three characters after the first space.
    int space = statusLine.indexOf(' ');
    if (!statusLine.startsWith("HTTP/1.") || space < 0 || statusLine.length() < space + 4) {
      throw new IOException("Bad status line: " + statusLine);
    }
    int status = parseInt(statusLine.substring(space + 1, space + 4));
    long contentLength = -1;
    boolean chunked = false;
    boolean closeAfter = statusLine.startsWith("HTTP/1.0");
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("Bad header line: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = parseInt(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> {
          String v = value.toLowerCase(Locale.ROOT);
          closeAfter = v.contains("close") || (closeAfter && !v.contains("keep-alive"));
        }
        default -> {
          // Other headers do not affect framing.
        }
      }
    }
    byte[] body;
    if (chunked) {
      body = readChunked();
    } else if (contentLength >= 0) {
      if (contentLength > MAX_BODY) {
        throw new IOException("Reply body too large: " + contentLength);
      }
      body = readExactly((int) contentLength);
    } else {
      // Without a length the body runs to the end of the connection; our servers never do that.
      throw new IOException("Reply has neither Content-Length nor chunked encoding");
    }
    if (closeAfter) {
      close();
    }
    return new Response(status, body);
  }

  private byte[] readChunked() throws IOException {
    byte[] body = new byte[0];
    while (true) {
      String sizeLine = readLine();
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("Bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.length + (long) size > MAX_BODY) {
        throw new IOException("Bad chunk size: " + sizeLine);
      }
      if (size == 0) {
        // Trailers, if any, end with an empty line.
        while (!readLine().isEmpty()) {
          // skip
        }
        return body;
      }
      byte[] chunk = readExactly(size);
      body = Arrays.copyOf(body, body.length + size);
      System.arraycopy(chunk, 0, body, body.length - size, size);
      if (!readLine().isEmpty()) {
        throw new IOException("Missing CRLF after chunk");
      }
    }
  }

  /** One CRLF-terminated line, without the CRLF, as ISO-8859-1 (header bytes are octets). */
  private String readLine() throws IOException {
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Connection closed by server");
      }
      if (b == '\n') {
        if (n > 0 && lineBuffer[n - 1] == '\r') {
          n--;
        }
        return new String(lineBuffer, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (n == MAX_LINE) {
        throw new IOException("Line longer than " + MAX_LINE + " bytes");
      }
      lineBuffer[n++] = (byte) b;
    }
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = new byte[length];
    int read = 0;
    while (read < length) {
      int r = in.read(bytes, read, length - read);
      if (r < 0) {
        throw new EOFException("Connection closed after " + read + " of " + length + " bytes");
      }
      read += r;
    }
    return bytes;
  }

  private static int parseInt(String s) throws IOException {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IOException("Not a number: " + s);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a broken socket may fail; it is gone either way.
      }
      socket = null;
      in = null;
      out = null;
    }
  }
}
