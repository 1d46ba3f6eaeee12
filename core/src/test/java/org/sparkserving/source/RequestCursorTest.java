package org.sparkserving.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkserving.http.EndpointLimits;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.source.ServingPartitionReader.RequestRecord;
import org.sparkserving.testing.Await;
import org.sparkserving.testing.Http;

/** A cursor reads exactly its share of the seqs, in order, locally and through the network. */
class RequestCursorTest {

  private ServingEndpoint endpoint;

  @BeforeEach
  void start() {
    endpoint =
        HttpServers.open("cursor", "127.0.0.1", 0, new EndpointLimits(100, 1 << 20, 10_000), 1);
  }

  @AfterEach
  void stop() {
    endpoint.stop(ErrorReplies.stopped("cursor"));
  }

  @ParameterizedTest(name = "remote={0}")
  @ValueSource(booleans = {false, true})
  void partitionsSplitTheSeqsAndSkipEndedRequests(boolean remote) throws Exception {
    for (int i = 1; i <= 7; i++) {
      Http.postAsync(endpoint.url(), "r" + i);
      int admitted = i;
      Await.until(Duration.ofSeconds(5), "admitted " + i, () -> endpoint.lastSeq() == admitted);
    }
    endpoint.reply(3, org.sparkserving.http.Reply.text("answered early"));

    RequestCursor first = cursor(0, 2, 0, remote);
    RequestCursor second = cursor(1, 2, 0, remote);

    assertThat(bodies(first, 4)).containsExactly("r1", "r5", "r7");
    assertThat(first.lastSeq()).isEqualTo(7);
    assertThat(bodies(second, 3)).containsExactly("r2", "r4", "r6");
    // Restarting from an offset resumes right after it.
    assertThat(bodies(cursor(1, 2, 4, remote), 2)).containsExactly("r6");
  }

  @ParameterizedTest(name = "remote={0}")
  @ValueSource(booleans = {false, true})
  void aCursorStartingFromAnotherResidueStaysOnItsOwnSeqs(boolean remote) throws Exception {
    admit(6);
    // Partition 1 of 2 owns the even seqs; an offset of 3 (not its own) must not lead it to 5.
    assertThat(bodies(cursor(1, 2, 3, remote), 3)).containsExactly("r4", "r6");
    assertThat(bodies(cursor(0, 2, 0, remote), 4)).containsExactly("r1", "r3", "r5");
  }

  @org.junit.jupiter.api.Test
  void anIdleRemoteCursorLongPollsInsteadOfPolling() throws Exception {
    RequestCursor remote = cursor(1, 2, 0, true);
    long before = endpoint.metrics().requestsCalls();
    assertThat(remote.next(2_500)).isNull();
    long idleCalls = endpoint.metrics().requestsCalls() - before;
    // About one call per second of waiting; polling every 2 ms made hundreds.
    assertThat(idleCalls).isBetween(1L, 5L);

    // A waiting long-poll returns as soon as the partition's own seq arrives, and only that one.
    java.util.concurrent.CompletableFuture<RequestRecord> next =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return remote.next(20_000);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    admit(2);
    RequestRecord r = next.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.seq()).isEqualTo(2);
    assertThat(new String(r.request().body(), StandardCharsets.UTF_8)).isEqualTo("r2");
  }

  private void admit(int n) {
    for (int i = 1; i <= n; i++) {
      Http.postAsync(endpoint.url(), "r" + i);
      int admitted = i;
      Await.until(Duration.ofSeconds(5), "admitted " + i, () -> endpoint.lastSeq() == admitted);
    }
  }

  private RequestCursor cursor(int index, int count, long last, boolean remote) {
    return remote
        ? new RequestCursor(endpoint.origin(), endpoint.secret(), null, index, count, last, null)
        : new RequestCursor(endpoint.origin(), endpoint.secret(), null, index, count, last);
  }

  /** Up to {@code max} request bodies, stopping early when none arrives within 300 ms. */
  private static java.util.List<String> bodies(RequestCursor cursor, int max)
      throws InterruptedException {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < max; i++) {
      RequestRecord r = cursor.next(300);
      if (r == null) {
        break;
      }
      out.add(new String(r.request().body(), StandardCharsets.UTF_8));
    }
    return out;
  }
}
