package dev.holdfast.simulator.connection;

import dev.holdfast.counting.SingleWriterCounters;
import dev.holdfast.metrics.LatencyBuckets;
import dev.holdfast.simulator.errors.ErrorCounts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counts of one simulator verticle: connections by state (RETIRED counts every seat retired
 * in the run), opens, closes by cause, messages and
 * their echo checks, errors by class, and connections per target.
 *
 * <p>Single writer: only the verticle's own event loop writes, with plain increments published by
 * release stores, so the connection path takes no lock and touches no shared atomic. Any thread
 * reads, with acquire loads; node totals are sums over verticles.
 */
public final class SimulatorLedger {

  /** The monotonic message and handshake counters. */
  public enum Count {
    /** Handshakes started (TCP connect begun). */
    HANDSHAKES,
    /** Connections upgraded. */
    OPENED,
    /** Messages sent. */
    SENT,
    /** Echoes received intact, in order or reordered (each message counted once). */
    ECHOED,
    /** Messages that can no longer be echoed: see {@link dev.holdfast.simulator.echo.EchoTracker}. */
    LOST,
    /** Echoes of a message already echoed. */
    DUPLICATED,
    /** Echoes that came back after a later message's echo. */
    REORDERED,
    /** Echoes whose bytes are not what was sent (or not of this connection), and text frames. */
    MISMATCHED,
    /** Echoes slower than messages.lateAfter. */
    LATE,
    /** Messages unanswered when their connection dropped without a close frame. */
    ABANDONED,
    /** Attempts that found every target backing off. */
    NO_TARGET,
    /** Events a connection's state did not accept: bugs, refused by {@link ConnectionLife}; 0 in a clean run. */
    ILLEGAL_TRANSITIONS
  }

  private static final int STATES = 0;
  private static final int COUNTS = STATES + ConnectionState.values().length;
  private static final int CLOSES = COUNTS + Count.values().length;
  private static final int ERRORS = CLOSES + CloseCause.values().length;
  private static final int LAG_MAX = ERRORS + ErrorCounts.SIZE;
  private static final int SIZE = LAG_MAX + 1;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final SingleWriterCounters slots = new SingleWriterCounters(SIZE);
  private volatile long[] perTarget = new long[8];
  private final LatencyBuckets handshakeLatency = new LatencyBuckets();
  private final LatencyBuckets echoLatency = new LatencyBuckets();

  private void add(int slot, long delta) {
    slots.add(slot, delta);
  }

  private long read(int slot) {
    return slots.get(slot);
  }

  /** A connection moved between states. Event loop only. */
  void onMove(ConnectionState from, ConnectionState to) {
    add(STATES + from.ordinal(), -1);
    add(STATES + to.ordinal(), 1);
  }

  /** A seat was created, in state WAITING. Event loop only. */
  void onSeatAdded() {
    add(STATES + ConnectionState.WAITING.ordinal(), 1);
  }

  void count(Count c) {
    add(COUNTS + c.ordinal(), 1);
  }

  void count(Count c, long n) {
    if (n != 0) {
      add(COUNTS + c.ordinal(), n);
    }
  }

  void closed(CloseCause cause) {
    add(CLOSES + cause.ordinal(), 1);
  }

  void error(int errorIndex) {
    add(ERRORS + errorIndex, 1);
  }

  void lag(long nanos) {
    slots.raiseTo(LAG_MAX, nanos);
  }

  /** One more (or fewer) connection of this verticle assigned to target {@code index}. Event loop only. */
  void assign(int index, int delta) {
    long[] a = perTarget;
    if (index >= a.length) {
      long[] grown = java.util.Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
      perTarget = grown; // volatile publish of the larger array; old values copied
      a = grown;
    }
    SLOT.setRelease(a, index, a[index] + delta);
  }

  /** Connections of this verticle connecting to, open on, or closing on target {@code index}. */
  public long assigned(int index) {
    long[] a = perTarget;
    return index < a.length ? (long) SLOT.getAcquire(a, index) : 0;
  }

  /** Connections in {@code state}. */
  public long inState(ConnectionState state) {
    return read(STATES + state.ordinal());
  }

  /** Connections held open (upgraded, not closing). */
  public long held() {
    return inState(ConnectionState.OPEN);
  }

  public long get(Count c) {
    return read(COUNTS + c.ordinal());
  }

  public long closedBy(CloseCause cause) {
    return read(CLOSES + cause.ordinal());
  }

  /** Errors counted under {@link ErrorCounts} index {@code i}. */
  public long errors(int i) {
    return read(ERRORS + i);
  }

  /** Handshake latency (TCP connect to the 101), in Prometheus buckets. Event loop writes only. */
  public LatencyBuckets handshakeLatency() {
    return handshakeLatency;
  }

  /**
   * Echo latency from the intended send time, in Prometheus buckets (the same figures as the
   * HdrHistograms, so a fleet's percentiles can be computed by Prometheus). Event loop writes only.
   */
  public LatencyBuckets echoLatency() {
    return echoLatency;
  }

  /** The longest the verticle's schedule ran behind its clock, in nanoseconds. */
  public long lagMaxNanos() {
    return read(LAG_MAX);
  }
}
