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
        RemoteRequests.fetchWithLastSeq(endpoint.origin(), endpoint.secret(), null, 0, 10);
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

    assertThat(RemoteRequests.fetch(endpoint.address() + "/no-such-instance", "x", null, 0, 5))
        .isEmpty();
  }

  @Test
  void manyLargeRepliesToOneServerTravelInCallsThatFitItsBodyLimit() {
    // 40 replies of 64 KiB queued while the first call is in flight: 2.5 MiB for a server whose
    // body limit is 1 MiB. One call holding them all would be refused with 413.
    int n = 40;
    String pad = "x".repeat(64 * 1024);
    List<CompletableFuture<HttpResponse<String>>> clients = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      clients.add(Http.postAsync(endpoint.url(), "r" + i));
      int admitted = i;
      Await.until(Duration.ofSeconds(5), "admitted " + i, () -> endpoint.lastSeq() == admitted);
    }
    ReplyRouter router =
        new ReplyRouter(Map.of(endpoint.instanceId(), endpoint.secret()), id -> null);
    for (int i = 1; i <= n; i++) {
      router.send(endpoint.origin(), i, Reply.text(i + pad));
    }
    router.flush();
    assertThat(router.unroutable()).isZero();
    for (int i = 1; i <= n; i++) {
      assertThat(clients.get(i - 1).join().body()).isEqualTo(i + pad);
    }
  }

  @Test
  void aReaderThatCannotConnectToAListedServerFailsNamingItsAddress() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String refusing = "127.0.0.1:" + closed + "/gone.1";
    // The driver still lists it (here: no registry to ask): the read fails, naming the address.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RemoteRequests.fetch(refusing, "s", null, 0, 5))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:" + closed)
        .hasMessageContaining("still lists");

    // A registry that lists a URL at that address: still listed after the grace period.
    org.sparkserving.http.ServiceDirectory.Listing listing =
        new org.sparkserving.http.ServiceDirectory.Listing(
            endpoint.address(), () -> List.of("http://127.0.0.1:" + closed + "/ghost"));
    org.sparkserving.http.ServiceDirectory.list("ghost", listing);
    try {
      String registry = org.sparkserving.http.InternalApi.registryUrl(endpoint.address(), "ghost");
      assertThat(ServerListing.stillListed(registry, refusing, 300)).isTrue();
      // The driver's registry no longer lists it (its executor was removed): an empty range.
      String other = org.sparkserving.http.InternalApi.registryUrl(endpoint.address(), "remote");
      assertThat(ServerListing.stillListed(other, refusing, 300)).isFalse();
      assertThat(RemoteRequests.fetch(refusing, "s", other, 0, 5)).isEmpty();
    } finally {
      org.sparkserving.http.ServiceDirectory.unlist("ghost", listing);
    }
  }
}
