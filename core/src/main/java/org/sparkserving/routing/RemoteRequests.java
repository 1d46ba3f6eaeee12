package org.sparkserving.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.Origins;
import org.sparkserving.http.RequestBatch;

/** Reads a seq range of waiting requests from a server in another JVM. */
public final class RemoteRequests {

  private RemoteRequests() {}

  /**
   * What one call returned.
   *
   * @param entries the waiting requests of the range, in seq order
   * @param lastSeq the server's last admitted seq when it answered; -1 when the server is gone
   */
  public record Fetched(List<RequestBatch.Entry> entries, long lastSeq) {}

  /**
   * The waiting requests of {@code origin} with seq in {@code (after, upTo]}; empty when that
   * server instance is gone, or when nothing listens at its address and the driver's registry at
   * {@code registry} no longer lists it (its executor died, its clients with it).
   *
   * @throws UncheckedIOException when the server cannot be reached (so Spark retries the task), or
   *     refuses connections while the driver still lists it (then the message names its address)
   */
  public static List<RequestBatch.Entry> fetch(
      String origin, String secret, String registry, long after, long upTo) {
    return fetchWithLastSeq(origin, secret, registry, after, upTo).entries();
  }

  /** Like {@link #fetch}, also telling how far the server has admitted. */
  public static Fetched fetchWithLastSeq(
      String origin, String secret, String registry, long after, long upTo) {
    return call(origin, secret, registry, after, upTo, "requests?after=" + after + "&upTo=" + upTo);
  }

  /**
   * A long-poll for one partition's slice of {@code (after, upTo]}: the seqs s with (s - 1) mod
   * {@code count} = {@code index}. When none is admitted yet the server waits up to {@code waitMs}
   * for the first before it answers, so an idle reader makes about one call per {@code waitMs}.
   */
  public static Fetched poll(
      String origin,
      String secret,
      String registry,
      long after,
      long upTo,
      int index,
      int count,
      long waitMs) {
    return call(
        origin,
        secret,
        registry,
        after,
        upTo,
        "requests?after="
            + after
            + "&upTo="
            + upTo
            + "&index="
            + index
            + "&count="
            + count
            + "&waitMs="
            + waitMs);
  }

  private static Fetched call(
      String origin, String secret, String registry, long after, long upTo, String call) {
    try {
      HttpResponse<byte[]> response =
          InternalClient.send(
              HttpRequest.newBuilder(InternalClient.uri(origin, call)).GET(), secret);
      if (response.statusCode() == 410) {
        return new Fetched(List.of(), -1);
      }
      if (response.statusCode() != 200) {
        throw InternalClient.refused(response, origin, "requests");
      }
      long lastSeq = response.headers().firstValueAsLong(InternalApi.LAST_SEQ_HEADER).orElse(upTo);
      return new Fetched(RequestBatch.decode(response.body()), lastSeq);
    } catch (ConnectException e) {
      if (!stillListed(registry, origin)) {
        // The driver dropped the server: its process is gone and its clients with it.
        return new Fetched(List.of(), -1);
      }
      throw new UncheckedIOException(
          "Cannot connect to the server at "
              + Origins.address(origin)
              + " (service instance "
              + origin
              + "), which the driver still lists as serving: is that address reachable from"
              + " this executor? Its requests ("
              + after
              + ", "
              + upTo
              + "] cannot be read",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read requests (" + after + ", " + upTo + "] from " + origin, e);
    }
  }

  private static boolean stillListed(String registry, String origin) {
    try {
      return ServerListing.stillListed(registry, origin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
