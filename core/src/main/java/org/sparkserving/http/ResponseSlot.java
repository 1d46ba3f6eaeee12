package org.sparkserving.http;

/**
 * A place in a connection's response order. HTTP/1.1 pipelining requires responses in request
 * order, so each request takes a slot when it arrives and its reply waits in the slot until every
 * earlier slot on the same connection has been written.
 */
final class ResponseSlot {

  private final ServingConnection connection;

  /** Written once by whichever thread completes the request; read by the event loop. */
  private volatile Reply reply;

  /** The admitted exchange this slot answers, or null for replies decided at once (404, 413...). */
  private volatile Exchange exchange;

  ResponseSlot(ServingConnection connection) {
    this.connection = connection;
  }

  void attach(Exchange exchange) {
    this.exchange = exchange;
  }

  Exchange exchange() {
    return exchange;
  }

  Reply reply() {
    return reply;
  }

  /** Stores the reply and asks the connection's event loop to write what is ready, in order. */
  void fill(Reply reply) {
    this.reply = reply;
    connection.slotFilled();
  }
}
