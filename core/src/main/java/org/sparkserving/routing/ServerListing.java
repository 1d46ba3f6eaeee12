package org.sparkserving.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.sparkserving.http.Origins;

/**
 * Whether the driver still lists a server, asked by a reader that cannot connect to it. A server
 * the driver dropped (its executor is gone) took its clients with it, so reading nothing from it is
 * right; one the driver still lists is unreachable from here (a wrong address, a firewall), and
 * reading nothing would leave its clients to time out, so the read must fail loudly instead.
 */
final class ServerListing {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a reader waits for the driver to notice that a refusing server's executor died. */
  static final long GRACE_MS = 10_000;

  private static final long RECHECK_MS = 250;

  private ServerListing() {}

  /**
   * True when the registry at {@code registryUrl} still lists the server of {@code origin} after up
   * to {@link #GRACE_MS} (or cannot be asked); false as soon as it no longer lists it.
   */
  static boolean stillListed(String registryUrl, String origin) throws InterruptedException {
    return stillListed(registryUrl, origin, GRACE_MS);
  }

  /** Like {@link #stillListed(String, String)}, waiting up to {@code graceMs}. */
  static boolean stillListed(String registryUrl, String origin, long graceMs)
      throws InterruptedException {
    if (registryUrl == null) {
      return true;
    }
    long deadline = System.nanoTime() + graceMs * 1_000_000L;
    while (true) {
      Boolean listed = listed(registryUrl, Origins.address(origin));
      if (listed != null && !listed) {
        return false;
      }
      if (System.nanoTime() - deadline >= 0) {
        return true;
      }
      Thread.sleep(RECHECK_MS);
    }
  }

  /** Whether a URL at {@code address} is listed; null when the registry cannot be read. */
  private static Boolean listed(String registryUrl, String address) throws InterruptedException {
    try {
      HttpResponse<byte[]> response =
          InternalClient.plain(
              HttpRequest.newBuilder(URI.create(registryUrl)).GET(), Duration.ofSeconds(2));
      if (response.statusCode() == 404) {
        return false;
      }
      if (response.statusCode() != 200) {
        return null;
      }
      for (JsonNode url : JSON.readTree(response.body()).path("endpoints")) {
        URI u = URI.create(url.asText());
        if ((u.getHost() + ":" + u.getPort()).equals(address)) {
          return true;
        }
      }
      return false;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
