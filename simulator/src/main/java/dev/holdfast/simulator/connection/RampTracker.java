package dev.holdfast.simulator.connection;

/**
 * When one verticle's ramp was done: the first time it held its share within tolerance. Written on
 * the verticle's event loop; the node reads the result, published once as an immutable
 * {@link Done}.
 */
final class RampTracker {

  /** The ramp's end, as the node reads it. */
  record Done(long atNanos, long firstOpenNanos, long openedByThen) {
  }

  private final double tolerance;
  private int share;
  private long firstOpenNanos;
  private volatile Done done;

  RampTracker(double tolerance) {
    this.tolerance = tolerance;
  }

  /** The verticle's share changed; a share of 0 is held at once. */
  void shareSet(int share) {
    this.share = share;
    if (done == null && share == 0) {
      long now = System.nanoTime();
      done = new Done(now, firstOpenNanos == 0 ? now : firstOpenNanos, 0);
    }
  }

  /** A connection opened; {@code ledger} holds the counts with it. */
  void opened(SimulatorLedger ledger) {
    if (done != null) {
      return;
    }
    long now = System.nanoTime();
    if (firstOpenNanos == 0) {
      firstOpenNanos = now;
    }
    if (ledger.held() >= Math.ceil(share * (1 - tolerance))) {
      done = new Done(now, firstOpenNanos, ledger.get(SimulatorLedger.Count.OPENED));
    }
  }

  /** The ramp's end, or null while ramping. Any thread. */
  Done done() {
    return done;
  }
}
