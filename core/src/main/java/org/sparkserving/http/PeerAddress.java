package org.sparkserving.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the other JVMs of a Spark application reach this one: the host they dial ({@code
 * spark.driver.host} on the driver, the executor's host on an executor), and the local address to
 * listen on for them (usually the same; {@code spark.driver.bindAddress} where it differs).
 *
 * <p>A server's public listener stays where the {@code host} option says. When that is a loopback
 * address, which other hosts cannot reach, the server also listens on {@link #bindHost} (any free
 * port) for internal calls only, and writes {@link #host} with that port into every request's
 * origin. See {@link HttpServer#internalAddress()}.
 *
 * @param host the host or address other JVMs dial
 * @param bindHost the local address to listen on for them
 */
public record PeerAddress(String host, String bindHost) {

  /** True when {@code host} names this machine's loopback, which no other host can reach. */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** True for the wildcard addresses, which listen on every interface. */
  static boolean isWildcard(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }
}
