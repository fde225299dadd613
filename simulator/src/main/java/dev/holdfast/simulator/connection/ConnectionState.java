package dev.holdfast.simulator.connection;

/**
 * The life of one simulated connection, as explicit states with explicit transitions:
 *
 * <pre>
 *          ┌──────────── failed ─────────────┐   ┌──── dropped / closed, to reopen ────┐
 *          ▼                                 │   ▼                                     │
 *   ──▶ WAITING ──▶ CONNECTING ──▶ OPEN ──▶ CLOSING ──────────────────────────────────┘
 *          │            │            │         │
 *          └────────────┴────────────┴─────────┴──▶ CLOSED (the run is over)  or  RETIRED (out of the share)
 * </pre>
 *
 * Every event is one move, made by {@link ConnectionLife}, which also performs the move's side
 * effects (handshake slot, ledger counts, timers). A move this table does not allow is a bug: it
 * is refused and counted ({@code illegalTransitions} in {@code /status} and the report).
 */
public enum ConnectionState {
  /** No socket; waiting for the reopen delay or backoff to pass, or for a handshake slot. A new seat starts here. */
  WAITING,
  /** TCP connect and WebSocket handshake in flight. */
  CONNECTING,
  /** Upgraded: sending messages and checking echoes. */
  OPEN,
  /** A close frame has been sent (or received and answered), or the socket cut; waiting for it to close. */
  CLOSING,
  /** Closed because the run is over: not reopened. */
  CLOSED,
  /** Closed for good because the seat left this verticle's share (a rebalance); counted once per retired seat. */
  RETIRED;

  private int next;

  static {
    WAITING.allow(CONNECTING, CLOSED, RETIRED);
    CONNECTING.allow(OPEN, WAITING, CLOSED, RETIRED);
    OPEN.allow(CLOSING, WAITING, CLOSED, RETIRED);
    CLOSING.allow(WAITING, CLOSED, RETIRED);
    CLOSED.allow(RETIRED);
  }

  private void allow(ConnectionState... targets) {
    for (ConnectionState t : targets) {
      next |= 1 << t.ordinal();
    }
  }

  /** True when a connection in this state may move to {@code target}. */
  public boolean canMoveTo(ConnectionState target) {
    return (next & 1 << target.ordinal()) != 0;
  }
}
