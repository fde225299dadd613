package dev.holdfast.simulator.errors;

/**
 * What went wrong with a connection attempt or a held connection, for counting. Handshake
 * statuses and close codes are counted per value on top of these; see {@link ErrorCounts}.
 */
public enum ErrorClass {
  /** The target refused the TCP connection (ECONNREFUSED): nothing listens, or its backlog is full. */
  CONNECT_REFUSED("connectRefused"),
  /** The TCP connect did not complete in time. */
  CONNECT_TIMEOUT("connectTimeout"),
  /** No local address or port to connect from (EADDRNOTAVAIL, EADDRINUSE): ephemeral ports ran out. */
  ADDRESS_NOT_AVAILABLE("addressNotAvailable"),
  /** The process ran out of file descriptors (EMFILE, ENFILE). */
  TOO_MANY_OPEN_FILES("tooManyOpenFiles"),
  /** TCP connected, but no handshake response came in time. */
  HANDSHAKE_TIMEOUT("handshakeTimeout"),
  /** A 101 response that is not a valid WebSocket upgrade (bad accept key, missing headers). */
  HANDSHAKE_INVALID("handshakeInvalid"),
  /** A connection (handshaking or open) ended without a close frame: reset, or the server died (1006). */
  CONNECTION_LOST("connectionLost"),
  /** Anything else. */
  OTHER("other");

  private final String key;

  ErrorClass(String key) {
    this.key = key;
  }

  /** The name in the JSON report, such as {@code connectRefused}. */
  public String key() {
    return key;
  }
}
