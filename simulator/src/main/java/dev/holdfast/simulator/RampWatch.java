package dev.holdfast.simulator;

import dev.holdfast.simulator.connection.SimulatorVerticle;
import java.util.List;

/**
 * The node's view of its ramp and of the churn window after it: the ramp is done when every
 * verticle has held its share within tolerance; achieved churn is measured from then to the end of
 * the hold, as churn closes per share per churn period. Owned by the node's context.
 */
final class RampWatch {

  private final long runStartNanos;
  private final long periodNanos;
  private final long minWindowNanos;
  private long doneNanos;
  private long firstOpenNanos;
  private long openedByThen;
  private long churnAtDone;
  private long windowStartNanos;
  private long holdEndNanos;
  private long churnAtHoldEnd;

  /**
   * @param periodNanos the churn period; 0 = no churn
   * @param minWindowNanos the shortest window achieved churn is reported over (one progress interval)
   */
  RampWatch(long runStartNanos, long periodNanos, long minWindowNanos) {
    this.runStartNanos = runStartNanos;
    this.periodNanos = periodNanos;
    this.minWindowNanos = minWindowNanos;
  }

  /** Looks whether every verticle is ramped; the first time they are, opens the churn window. */
  void watch(List<SimulatorVerticle> verticles, long churnClosesNow, long now) {
    if (doneNanos != 0 || holdEndNanos != 0) {
      return;
    }
    long latest = 0;
    long opened = 0;
    long first = Long.MAX_VALUE;
    for (SimulatorVerticle v : verticles) {
      long done = v.rampDoneNanos();
      if (done == 0) {
        return;
      }
      latest = Math.max(latest, done);
      opened += v.openedAtRampDone();
      if (v.firstOpenNanos() != 0) {
        first = Math.min(first, v.firstOpenNanos());
      }
    }
    doneNanos = latest;
    firstOpenNanos = first == Long.MAX_VALUE ? latest : first;
    openedByThen = opened;
    churnAtDone = churnClosesNow;
    windowStartNanos = now;
  }

  /** The hold ended at {@code now}: the churn window closes. */
  void holdEnded(long churnClosesNow, long now) {
    holdEndNanos = now;
    churnAtHoldEnd = churnClosesNow;
  }

  /** Churn achieved so far, as a fraction of {@code share} per period; NaN before the ramp or the first window. */
  double achieved(long share, long churnClosesNow, long now) {
    if (doneNanos == 0 || share <= 0 || periodNanos == 0) {
      return Double.NaN;
    }
    long end = holdEndNanos != 0 ? holdEndNanos : now;
    if (end - windowStartNanos < minWindowNanos) {
      return Double.NaN;
    }
    long closes = (holdEndNanos != 0 ? churnAtHoldEnd : churnClosesNow) - churnAtDone;
    return closes / (double) share / ((double) (end - windowStartNanos) / periodNanos);
  }

  /** When the ramp was done (nanoTime), or 0. */
  long doneNanos() {
    return doneNanos;
  }

  /** Seconds from the start to the end of the ramp; NaN if it never ended. */
  double seconds() {
    return doneNanos == 0 ? Double.NaN : (doneNanos - runStartNanos) / 1e9;
  }

  /** Seconds from the first connection opened to the end of the ramp; NaN if it never ended. */
  double secondsFromFirstOpen() {
    return doneNanos == 0 ? Double.NaN : (doneNanos - firstOpenNanos) / 1e9;
  }

  long openedByThen() {
    return openedByThen;
  }

  /** Churn closes between the end of the ramp and the end of the hold. */
  long windowCloses() {
    return churnAtHoldEnd - churnAtDone;
  }

  /** Length of that window; NaN when the ramp never ended. */
  double windowSeconds() {
    return doneNanos == 0 ? Double.NaN : (holdEndNanos - windowStartNanos) / 1e9;
  }
}
