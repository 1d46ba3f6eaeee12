package org.sparkserving.bench;

/** The baseline: a {@link BareServer}, answering {@code ok} to everything. */
final class BareContender implements Contender {

  /** As many event loops as the serving library starts by default on a two-core machine. */
  private static final int WORKER_THREADS = 2;

  private BareServer server;

  @Override
  public String name() {
    return "bare";
  }

  @Override
  public Endpoint start() throws InterruptedException {
    server = new BareServer(WORKER_THREADS);
    return new Endpoint(server.url(), body -> BareServer.REPLY);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
