package dev.holdfast.node;

import dev.holdfast.counting.SingleWriterCounters;

/**
 * The counts of one echo verticle instance: opens, closes by close code, rejections by reason,
 * messages and bytes echoed.
 *
 * <p>Single writer ({@link SingleWriterCounters}): only the instance's own event loop writes, so
 * the connection path takes no lock and touches no shared atomic. Any thread may read; node totals
 * are sums over instances.
 */
public final class ConnectionLedger {

  /** Why a handshake was refused. */
  public enum Rejection {
    /** The node holds its maximum number of connections (HTTP 503). */
    CAPACITY,
    /** The node is draining and accepts nothing new (HTTP 503). */
    DRAINING,
    /** The request was for another path (HTTP 404). */
    NOT_FOUND,
    /** Not a valid WebSocket upgrade (HTTP 400, 405, 426, 431 or 505). */
    BAD_REQUEST,
    /** No complete upgrade request within the handshake timeout: closed without an answer. */
    HANDSHAKE_TIMEOUT,
    /** The Origin header is not on the allowlist (HTTP 403). */
    ORIGIN,
    /** No token, or a bad or expired one, when the node requires one (HTTP 401). */
    UNAUTHORIZED,
    /** The client's address holds its maximum number of connections (HTTP 503). */
    ADDRESS_CAP;

    /** The metric label for this reason. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The close codes counted on their own; every other code counts as "other". */
  public static final int[] CLOSE_CODES = {1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1011};

  private static final int HELD = 0;
  private static final int OPENED = 1;
  private static final int CLOSED = 2;
  private static final int MESSAGES = 3;
  private static final int BYTES = 4;
  private static final int REJECTED = 5;
  private static final int CLOSE_CODE = REJECTED + Rejection.values().length;
  private static final int SIZE = CLOSE_CODE + CLOSE_CODES.length + 1;

  private final SingleWriterCounters counts = new SingleWriterCounters(SIZE);

  private void add(int slot, long delta) {
    counts.add(slot, delta);
  }

  private long read(int slot) {
    return counts.get(slot);
  }

  /** A connection was upgraded and is now held. Event loop only. */
  public void onOpened() {
    add(OPENED, 1);
    add(HELD, 1);
  }

  /** A held connection closed with this close code (1006 when it ended without a close frame). Event loop only. */
  public void onClosed(int closeCode) {
    add(HELD, -1);
    add(CLOSED, 1);
    add(CLOSE_CODE + closeCodeIndex(closeCode), 1);
  }

  /** A handshake was refused. Event loop only. */
  public void onRejected(Rejection reason) {
    add(REJECTED + reason.ordinal(), 1);
  }

  /** A message frame of this many payload bytes was echoed. Event loop only. */
  public void onEchoed(int bytes, boolean finalFragment) {
    if (finalFragment) {
      add(MESSAGES, 1);
    }
    add(BYTES, bytes);
  }

  public long held() {
    return read(HELD);
  }

  public long opened() {
    return read(OPENED);
  }

  public long closed() {
    return read(CLOSED);
  }

  public long messages() {
    return read(MESSAGES);
  }

  public long bytes() {
    return read(BYTES);
  }

  public long rejected(Rejection reason) {
    return read(REJECTED + reason.ordinal());
  }

  public long rejected() {
    long n = 0;
    for (Rejection r : Rejection.values()) {
      n += rejected(r);
    }
    return n;
  }

  /** Closes counted under {@code CLOSE_CODES[i]}, or under "other" for {@code i == CLOSE_CODES.length}. */
  public long closedByIndex(int i) {
    return read(CLOSE_CODE + i);
  }

  static int closeCodeIndex(int code) {
    for (int i = 0; i < CLOSE_CODES.length; i++) {
      if (CLOSE_CODES[i] == code) {
        return i;
      }
    }
    return CLOSE_CODES.length;
  }
}
