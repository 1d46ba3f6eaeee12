package org.sparkserving.http;

import java.util.function.Function;

/**
 * Plays the query in server-only tests: answers every admitted request, on a daemon thread, except
 * those its answer function returns null for (they stay waiting).
 */
final class AutoReplier implements AutoCloseable {

  private final Thread thread;
  private volatile boolean running = true;

  AutoReplier(ServingEndpoint endpoint, Function<ServingRequest, Reply> answer) {
    thread =
        new Thread(
            () -> {
              long done = 0;
              while (running) {
                long last = endpoint.lastSeq();
                for (Exchange e : endpoint.read(done, last)) {
                  ServingRequest request = e.request();
                  Reply reply = request == null ? null : answer.apply(request);
                  if (reply != null) {
                    endpoint.reply(e.seq(), reply);
                  }
                }
                done = last;
                try {
                  endpoint.awaitAdmitted(done + 1, 50);
                } catch (InterruptedException ie) {
                  return;
                }
              }
            },
            "auto-replier");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
