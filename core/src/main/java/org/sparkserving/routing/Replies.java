package org.sparkserving.routing;

import java.util.Map;
import org.sparkserving.http.Reply;

/** Answers one request from anywhere in the query, outside the sink. */
public final class Replies {

  private Replies() {}

  /**
   * Sends {@code reply} to the client of request {@code seq} at {@code origin} now: directly when
   * its server lives in this JVM, otherwise through the server's internal endpoint with the secret
   * this JVM learnt from the query's tasks. A request already answered keeps its first answer.
   *
   * @return false when the reply could not be delivered (its server is gone or unknown here)
   */
  public static boolean send(String origin, long seq, Reply reply) {
    ReplyRouter router = new ReplyRouter(Map.of());
    router.send(origin, seq, reply);
    router.flush();
    return router.unroutable() == 0;
  }
}
