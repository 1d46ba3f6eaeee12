package org.sparkserving.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.http.EndpointLimits;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Reply;
import org.sparkserving.http.RequestBatch;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;

/**
 * The paths between JVMs, exercised over real sockets by pretending the server is elsewhere:
 * reading requests through the internal endpoint and posting batched replies to it.
 */
class RemoteRoutingTest {

  private ServingEndpoint endpoint;

  @BeforeEach
  void start() {
    endpoint =
        HttpServers.open("remote", "127.0.0.1", 0, new EndpointLimits(100, 1 << 20, 10_000), 1);
  }

  @AfterEach
  void stop() {
    endpoint.stop(ErrorReplies.stopped("remote"));
  }

  @Test
  void requestsAreReadAndRepliesDeliveredThroughTheInternalEndpoint() {
    CompletableFuture<HttpResponse<String>> first = Http.postAsync(endpoint.url(), "one");
    CompletableFuture<HttpResponse<String>> second = Http.postAsync(endpoint.url(), "two");
    Await.until(Duration.ofSeconds(5), "two admitted", () -> endpoint.lastSeq() == 2);

    RemoteRequests.Fetched fetched =
        RemoteRequests.fetchWithLastSeq(endpoint.origin(), endpoint.secret(), 0, 10);
    assertThat(fetched.lastSeq()).isEqualTo(2);
    List<RequestBatch.Entry> entries = fetched.entries();
    assertThat(entries).extracting(RequestBatch.Entry::seq).containsExactly(1L, 2L);
    assertThat(entries)
        .extracting(e -> new String(e.request().body(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("one", "two");

    ReplyRouter router =
        new ReplyRouter(Map.of(endpoint.instanceId(), endpoint.secret()), id -> null);
    for (RequestBatch.Entry e : entries) {
      router.send(
          endpoint.origin(),
          e.seq(),
          Reply.text("re:" + new String(e.request().body(), StandardCharsets.UTF_8)));
    }
    // Sent at once, not held for a flush: the clients are answered while the task goes on.
    assertThat(first.join().body()).isEqualTo("re:one");
    assertThat(second.join().body()).isEqualTo("re:two");
    router.flush();
    assertThat(router.unroutable()).isZero();
  }

  @Test
  void repliesForUnknownOrStoppedInstancesAreCountedNotThrown() {
    ReplyRouter router = new ReplyRouter(Map.of(), id -> null);
    router.send("127.0.0.1:1/feedface", 1, Reply.text("lost"));
    router.flush();
    assertThat(router.unroutable()).isEqualTo(1);

    assertThat(RemoteRequests.fetch(endpoint.address() + "/no-such-instance", "x", 0, 5)).isEmpty();
  }
}
