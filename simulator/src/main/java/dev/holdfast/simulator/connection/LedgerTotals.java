package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.errors.ErrorCounts;
import java.util.List;

/**
 * The sums of a node's verticle ledgers at one instant: what the progress line, the metrics and
 * the report show. Each verticle's counts are read without stopping it, so two numbers of one
 * snapshot may be a few events apart; totals are exact once the verticles are quiet.
 */
public final class LedgerTotals {

  private final long[] states = new long[ConnectionState.values().length];
  private final long[] counts = new long[Count.values().length];
  private final long[] closes = new long[CloseCause.values().length];
  private final long[] errors = new long[ErrorCounts.SIZE];
  private long lagMaxNanos;

  /** Sums the ledgers now. */
  public static LedgerTotals of(List<SimulatorLedger> ledgers) {
    LedgerTotals t = new LedgerTotals();
    for (SimulatorLedger l : ledgers) {
      for (ConnectionState s : ConnectionState.values()) {
        t.states[s.ordinal()] += l.inState(s);
      }
      for (Count c : Count.values()) {
        t.counts[c.ordinal()] += l.get(c);
      }
      for (CloseCause c : CloseCause.values()) {
        t.closes[c.ordinal()] += l.closedBy(c);
      }
      for (int i = 0; i < ErrorCounts.SIZE; i++) {
        t.errors[i] += l.errors(i);
      }
      t.lagMaxNanos = Math.max(t.lagMaxNanos, l.lagMaxNanos());
    }
    return t;
  }

  public long inState(ConnectionState s) {
    return states[s.ordinal()];
  }

  /** Connections held open. */
  public long held() {
    return inState(ConnectionState.OPEN);
  }

  public long get(Count c) {
    return counts[c.ordinal()];
  }

  public long closedBy(CloseCause c) {
    return closes[c.ordinal()];
  }

  /** Connections closed, whatever the cause. */
  public long closedTotal() {
    long n = 0;
    for (long c : closes) {
      n += c;
    }
    return n;
  }

  /** Errors under {@link ErrorCounts} index {@code i}. */
  public long errors(int i) {
    return errors[i];
  }

  /** All errors counted. */
  public long errorsTotal() {
    long n = 0;
    for (long e : errors) {
      n += e;
    }
    return n;
  }

  /** Echo errors: lost, duplicated, reordered and mismatched messages (late ones are not errors). */
  public long echoErrors() {
    return get(Count.LOST) + get(Count.DUPLICATED) + get(Count.REORDERED) + get(Count.MISMATCHED);
  }

  public long lagMaxNanos() {
    return lagMaxNanos;
  }
}
