package org.sparkserving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;

/**
 * Bind vs advertise on one machine: a server whose public listener is on loopback, in a JVM that
 * other JVMs call at a routable address, takes internal calls on a second listener there, which
 * serves only {@code /_serving/...}. (The multi-host cluster tests show the same across hosts.)
 */
class InternalListenerTest {

  /** A non-loopback IPv4 address of this machine, or null when it has none. */
  private static String routableAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    return null;
  }

  @Test
  void aLoopbackServerTakesInternalCallsOnItsPeerAddressOnly() throws Exception {
    String routable = routableAddress();
    assumeTrue(routable != null, "this machine has no non-loopback IPv4 address");
    ServingEndpoint endpoint =
        HttpServers.open(
            "peer_svc",
            InstanceIdentity.random(),
            "localhost",
            0,
            new EndpointLimits(100, 1024, 5000),
            1,
            new PeerAddress(routable, routable));
    try {
      // Clients: the public listener, where host says.
      assertThat(endpoint.url()).startsWith("http://localhost:");
      CompletableFuture<java.net.http.HttpResponse<String>> client =
          Http.postAsync(endpoint.url(), "hi");
      // Other JVMs: the origin names the peer address, on another port.
      String internal = Origins.address(endpoint.origin());
      assertThat(internal).startsWith(routable + ":").isNotEqualTo(endpoint.address());
      assertThat(Http.get("http://" + internal + "/_serving/health").statusCode()).isEqualTo(200);
      // Service paths are not served there: "localhost" keeps its meaning for clients.
      assertThat(Http.post("http://" + internal + "/peer_svc", "sneaky").statusCode())
          .isEqualTo(404);
      Await.until(Duration.ofSeconds(10), "the client admitted", () -> endpoint.lastSeq() == 1);
      endpoint.reply(1, Reply.text("hello"));
      assertThat(client.join().body()).isEqualTo("hello");
    } finally {
      endpoint.stop(ErrorReplies.stopped("peer_svc"));
    }
  }

  @Test
  void withoutPeersTheOriginIsThePublicAddress() {
    ServingEndpoint endpoint =
        HttpServers.open("solo_svc", "localhost", 0, new EndpointLimits(100, 1024, 5000), 1);
    try {
      assertThat(Origins.address(endpoint.origin())).isEqualTo(endpoint.address());
    } finally {
      endpoint.stop(ErrorReplies.stopped("solo_svc"));
    }
  }
}
