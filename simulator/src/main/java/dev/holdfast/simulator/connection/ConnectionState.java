package dev.holdfast.simulator.connection;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one simulated connection, as explicit states with explicit transitions:
 *
 * <pre>
 *   CLOSED ──▶ WAITING ──▶ CONNECTING ──▶ OPEN ──▶ CLOSING ──▶ CLOSED
 *     │  ▲        │            │           │                    ▲
 *     │  └────────┘ (retired)  └─(failed)──┼────(dropped)───────┘
 *     └──────────▶ CONNECTING              │
 * </pre>
 *
 * A failed attempt goes back to CLOSED and then WAITING for its backoff; an open connection that
 * the server drops without a close frame goes straight to CLOSED. Any other move is a bug, and
 * {@link SimulatedConnection#moveTo} rejects it.
 */
public enum ConnectionState {
  /** No socket, nothing scheduled: before the first open, after a close, or retired. */
  CLOSED,
  /** No socket; waiting for the reopen delay or backoff to pass, or for a handshake slot. */
  WAITING,
  /** TCP connect and WebSocket handshake in flight. */
  CONNECTING,
  /** Upgraded: sending messages and checking echoes. */
  OPEN,
  /** A close frame has been sent (or received and answered); waiting for the socket to close. */
  CLOSING;

  private Set<ConnectionState> next;

  static {
    CLOSED.next = EnumSet.of(WAITING, CONNECTING);
    WAITING.next = EnumSet.of(CONNECTING, CLOSED);
    CONNECTING.next = EnumSet.of(OPEN, CLOSED);
    OPEN.next = EnumSet.of(CLOSING, CLOSED);
    CLOSING.next = EnumSet.of(CLOSED);
  }

  /** True when a connection in this state may move to {@code target}. */
  public boolean canMoveTo(ConnectionState target) {
    return next.contains(target);
  }
}
