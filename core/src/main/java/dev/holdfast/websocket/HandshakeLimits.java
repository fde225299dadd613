package dev.holdfast.websocket;

/**
 * The HTTP limits of a WebSocket opening handshake, the same on both ends: the node's upgrade
 * codec and the simulator's client codec. An upgrade request or response is a request line and
 * a few headers with no body, so these are small; a peer that exceeds them is not a WebSocket
 * peer, and small limits keep what a handshake can make the other side buffer small.
 */
public final class HandshakeLimits {

  /** Longest request or status line, in bytes (Netty's default). */
  public static final int MAX_INITIAL_LINE_BYTES = 4096;
  /** Most header bytes of one request or response (Netty's default). */
  public static final int MAX_HEADER_BYTES = 8192;
  /** Largest body the aggregator takes before the upgrade; handshakes carry none. */
  public static final int MAX_BODY_BYTES = 8192;

  private HandshakeLimits() {
  }
}
