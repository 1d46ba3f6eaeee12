package org.sparkserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sparkserving.http.EndpointLimits;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Clients;
import org.sparkserving.testing.Http;

/**
 * An executor's server lives only while its lease is renewed: when renewals stop (the driver died,
 * or the query ended and no stop call got through) it answers its waiting clients 503 and frees its
 * port by itself.
 */
class LeaseWatchTest {

  private static final long LEASE_MS = 2000;

  private ServingEndpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.stop(ErrorReplies.stopped("leased"));
    }
  }

  private ServingEndpoint open() {
    endpoint =
        HttpServers.open("leased", "127.0.0.1", 0, new EndpointLimits(100, 1 << 20, 60_000), 1);
    LeaseWatch.watch(endpoint, LEASE_MS);
    return endpoint;
  }

  @Test
  void aServerWhoseLeaseIsNotRenewedAnswers503AndFreesItsPort() throws Exception {
    ServingEndpoint e = open();
    int port = URI.create(e.url()).getPort();
    CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(e.url(), "anyone?");
    // Renewed until the client waits; from then on nobody renews.
    Await.until(
        Duration.ofSeconds(10),
        "a waiting client",
        () -> {
          e.renewLease();
          return e.pending() == 1;
        });
    e.renewLease();
    long start = System.nanoTime();

    Await.until(Duration.ofSeconds(30), "the lease to end the server", e::isStopped);
    long stoppedAfterMs = (System.nanoTime() - start) / 1_000_000L;
    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    Await.until(
        Duration.ofSeconds(10),
        "port " + port + " free",
        () -> HttpServers.liveEndpoints().stream().noneMatch(x -> x == e));
    Clients.assertPortFree(port);
    System.out.printf(
        "Lease of %d ms: the server stopped itself %d ms after its last renewal%n",
        LEASE_MS, stoppedAfterMs);
  }

  @Test
  void renewalsKeepTheServerServing() throws Exception {
    ServingEndpoint e = open();
    long until = System.nanoTime() + 5 * LEASE_MS * 1_000_000L / 2;
    while (System.nanoTime() < until) {
      e.renewLease();
      Thread.sleep(LEASE_MS / 6);
    }
    assertThat(e.isStopped()).isFalse();
  }

  @Test
  void renewalsOverTheInternalEndpointKeepTheServerServing() throws Exception {
    ServingEndpoint e = open();
    long until = System.nanoTime() + 5 * LEASE_MS * 1_000_000L / 2;
    while (System.nanoTime() < until) {
      org.sparkserving.routing.RemoteServers.renewLease(
              e.origin(), e.secret(), Duration.ofSeconds(5))
          .get(10, TimeUnit.SECONDS);
      Thread.sleep(LEASE_MS / 6);
    }
    assertThat(e.isStopped()).isFalse();
  }
}
