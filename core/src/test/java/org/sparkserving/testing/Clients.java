package org.sparkserving.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.sparkserving.http.HttpServers;

/** Load and lifecycle checks that several end-to-end tests share. */
public final class Clients {

  private Clients() {}

  /**
   * Sends {@code total} requests with distinct bodies from {@code clients} concurrent clients and
   * asserts that every one got exactly {@code expected(body)} with status 200.
   */
  public static void assertEachGetsItsOwnReply(
      String url, int clients, int total, UnaryOperator<String> expected) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(
            pool.submit(
                () -> {
                  List<String> wrong = new ArrayList<>();
                  for (int i = client; i < total; i += clients) {
                    String body = "client-" + client + "-request-" + i;
                    HttpResponse<String> r = Http.post(url, body);
                    if (r.statusCode() != 200 || !r.body().equals(expected.apply(body))) {
                      wrong.add(body + " -> " + r.statusCode() + " " + r.body());
                    }
                  }
                  return wrong;
                }));
      }
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : results) {
        wrong.addAll(f.get(300, TimeUnit.SECONDS));
      }
      assertThat(wrong).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until some live service has exactly {@code n} clients waiting. */
  public static void awaitWaiting(int n) {
    Await.until(
        Duration.ofSeconds(10),
        n + " waiting client(s)",
        () -> HttpServers.liveEndpoints().stream().anyMatch(e -> e.pending() == n));
  }

  /** Asserts that {@code port} can be bound again on localhost. */
  public static void assertPortFree(int port) throws Exception {
    try (ServerSocket rebind = new ServerSocket(port, 50, InetAddress.getByName("localhost"))) {
      assertThat(rebind.getLocalPort()).isEqualTo(port);
    }
  }

  /** The fastest of {@code n} sequential requests whose reply must be {@code expected(body)}. */
  public static Duration fastestOf(String url, int n, UnaryOperator<String> expected) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      String body = "quick" + i;
      long start = System.nanoTime();
      assertThat(Http.post(url, body).body()).isEqualTo(expected.apply(body));
      best = Math.min(best, System.nanoTime() - start);
    }
    return Duration.ofNanos(best);
  }
}
