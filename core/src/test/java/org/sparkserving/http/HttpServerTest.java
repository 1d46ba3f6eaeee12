package org.sparkserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;

/** The server alone, on a free port, with real clients: no Spark involved. */
class HttpServerTest {

  private ServingEndpoint endpoint;
  private String url;

  @BeforeEach
  void start() {
    endpoint = HttpServers.open("svc", "127.0.0.1", 0, new EndpointLimits(100, 1024, 5000), 2);
    url = endpoint.url();
  }

  @AfterEach
  void stop() {
    endpoint.stop(ErrorReplies.stopped("svc"));
  }

  @Test
  void admittedRequestsAreNumberedAndReadableByRange() {
    CompletableFuture<HttpResponse<String>> first = Http.postAsync(url, "one");
    Await.until(Duration.ofSeconds(5), "first admitted", () -> endpoint.lastSeq() == 1);
    CompletableFuture<HttpResponse<String>> second = Http.postAsync(url, "two");
    Await.until(Duration.ofSeconds(5), "second admitted", () -> endpoint.lastSeq() == 2);

    List<Exchange> all = endpoint.read(0, 2);
    assertThat(all).extracting(Exchange::seq).containsExactly(1L, 2L);
    assertThat(new String(all.get(1).request().body(), StandardCharsets.UTF_8)).isEqualTo("two");
    assertThat(all.get(0).request().method()).isEqualTo("POST");

    assertThat(endpoint.reply(2, Reply.text("2!"))).isTrue();
    assertThat(endpoint.reply(2, Reply.text("again"))).isFalse();
    assertThat(endpoint.read(0, 2)).extracting(Exchange::seq).containsExactly(1L);
    assertThat(endpoint.reply(1, Reply.text("1!"))).isTrue();

    assertThat(first.join().body()).isEqualTo("1!");
    assertThat(second.join().body()).isEqualTo("2!");
    assertThat(endpoint.metrics().duplicateReplies()).isEqualTo(1);
    assertThat(endpoint.reply(99, Reply.text("?"))).isFalse();
    assertThat(endpoint.metrics().unknownReplies()).isEqualTo(1);
    assertThat(endpoint.pending()).isZero();
  }

  @Test
  void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", URI.create(url).getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String request = "POST /svc HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n";
      out.write((request + "a" + request + "b").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Await.until(Duration.ofSeconds(5), "both admitted", () -> endpoint.lastSeq() == 2);

      // Answer the second request first: it must still be written second.
      endpoint.reply(2, Reply.text("second"));
      endpoint.reply(1, Reply.text("first"));

      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(readBody(in)).isEqualTo("first");
      assertThat(readBody(in)).isEqualTo("second");
    }
  }

  private static String readBody(BufferedReader in) throws Exception {
    int length = -1;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(body, read, length - read);
    }
    return new String(body);
  }

  @Test
  void healthEndpointListsServices() {
    HttpResponse<String> health = Http.get(url.replace("/svc", "/_serving/health"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"services\":[\"svc\"]}");
  }

  @Test
  void internalReplyCallNeedsTheSecret() throws Exception {
    CompletableFuture<HttpResponse<String>> client = Http.postAsync(url, "q");
    Await.until(Duration.ofSeconds(5), "admitted", () -> endpoint.lastSeq() == 1);
    ReplyBatch batch = new ReplyBatch();
    batch.add(1, new Reply(202, Reply.TEXT, Map.of("X-From", "batch"), "done".getBytes()));
    URI replies =
        URI.create(url.replace("/svc", "/_serving/" + endpoint.instanceId() + "/replies"));

    HttpResponse<String> forged =
        Http.CLIENT.send(
            HttpRequest.newBuilder(replies)
                .header(InternalApi.SECRET_HEADER, "not-the-secret")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unsigned =
        Http.CLIENT.send(
            HttpRequest.newBuilder(replies)
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(endpoint.metrics().forgedCalls()).isEqualTo(2);
    assertThat(endpoint.pending()).isEqualTo(1);

    HttpResponse<String> genuine =
        Http.CLIENT.send(
            HttpRequest.newBuilder(replies)
                .header(InternalApi.SECRET_HEADER, endpoint.secret())
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(genuine.statusCode()).isEqualTo(200);
    HttpResponse<String> answered = client.join();
    assertThat(answered.statusCode()).isEqualTo(202);
    assertThat(answered.body()).isEqualTo("done");
    assertThat(answered.headers().firstValue("x-from")).hasValue("batch");
  }

  @Test
  void internalRequestsCallHandsOutWaitingRequests() throws Exception {
    Http.postAsync(url + "?k=v", "payload");
    Await.until(Duration.ofSeconds(5), "admitted", () -> endpoint.lastSeq() == 1);
    URI requests =
        URI.create(
            url.replace("/svc", "/_serving/" + endpoint.instanceId() + "/requests?after=0&upTo=1"));

    HttpResponse<byte[]> response =
        Http.CLIENT.send(
            HttpRequest.newBuilder(requests)
                .header(InternalApi.SECRET_HEADER, endpoint.secret())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    List<RequestBatch.Entry> entries = RequestBatch.decode(response.body());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).seq()).isEqualTo(1);
    assertThat(entries.get(0).request().query()).isEqualTo("k=v");
    assertThat(new String(entries.get(0).request().body(), StandardCharsets.UTF_8))
        .isEqualTo("payload");
  }

  @Test
  void sameNameTwiceOnOnePortIsRefused() {
    int port = URI.create(url).getPort();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HttpServers.open("svc", "127.0.0.1", port, endpoint.limits(), 1))
        .hasMessageContaining("already runs");
  }

  @Test
  void clientThatLeavesFreesItsRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", URI.create(url).getPort())) {
      socket
          .getOutputStream()
          .write(
              "POST /svc HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"
                  .getBytes(StandardCharsets.US_ASCII));
      Await.until(Duration.ofSeconds(5), "admitted", () -> endpoint.pending() == 1);
    }
    Await.until(Duration.ofSeconds(5), "abandoned request freed", () -> endpoint.pending() == 0);
    assertThat(endpoint.read(0, 1)).isEmpty();
  }
}
