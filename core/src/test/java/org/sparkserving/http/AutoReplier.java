package org.sparkserving.http;

import java.util.function.Function;

/** Plays the query in server-only tests: answers every admitted request, on a daemon thread. */
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
                  if (request != null) {
                    endpoint.reply(e.seq(), answer.apply(request));
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
