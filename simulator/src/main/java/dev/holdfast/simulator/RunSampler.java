package dev.holdfast.simulator;

import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.ConnectionState;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import dev.holdfast.simulator.report.LatencySummary;
import dev.holdfast.simulator.report.TimelineSample;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Turns the verticles' ledgers and latency recorders into timeline samples, one per progress
 * tick, and keeps the run's latency histograms: every echo, the echoes after the ramp, and how
 * late messages left. Not thread-safe: the node calls it on its own context only.
 */
final class RunSampler {

  private static final long MAX_MICROS = 3_600_000_000L;

  private final List<SimulatorVerticle> verticles;
  private final List<SimulatorLedger> ledgers;
  private final long runStartNanos;
  private final Histogram latencyTotal = new Histogram(MAX_MICROS, 3);
  private final Histogram latencyAfterRamp = new Histogram(MAX_MICROS, 3);
  private final Histogram sendLagTotal = new Histogram(MAX_MICROS, 2);
  private final Histogram[] recycle;
  private final Histogram[] recycleLag;
  private LedgerTotals lastTotals;
  private long lastSampleNanos;
  private LatencySummary lastLatency = LatencySummary.EMPTY;

  RunSampler(List<SimulatorVerticle> verticles, List<SimulatorLedger> ledgers, long runStartNanos) {
    this.verticles = verticles;
    this.ledgers = ledgers;
    this.runStartNanos = runStartNanos;
    this.recycle = new Histogram[verticles.size()];
    this.recycleLag = new Histogram[verticles.size()];
    this.lastTotals = LedgerTotals.of(ledgers);
    this.lastSampleNanos = runStartNanos;
  }

  /**
   * Samples now: the counts, and what happened since the last sample. The kernel's and servers'
   * counts are the last known; the node replaces them once it has read fresh ones.
   *
   * @param rampDoneNanos when the ramp ended, or 0: latency of intervals wholly after it is the steady state's
   */
  TimelineSample take(long now, long target, long os, long cluster, long rampDoneNanos) {
    LedgerTotals t = LedgerTotals.of(ledgers);
    Histogram interval = drainLatency(rampDoneNanos);
    double seconds = Math.max(1e-3, (now - lastSampleNanos) / 1e9);
    LatencySummary latency = LatencySummary.of(interval);
    lastLatency = latency;
    TimelineSample s = new TimelineSample((now - runStartNanos) / 1e9, t.held(), target, os, cluster,
        t.inState(ConnectionState.CONNECTING), t.inState(ConnectionState.WAITING),
        t.closedBy(CloseCause.CHURN) - lastTotals.closedBy(CloseCause.CHURN),
        t.closedBy(CloseCause.STORM) - lastTotals.closedBy(CloseCause.STORM),
        (t.get(Count.OPENED) - lastTotals.get(Count.OPENED)) / seconds,
        (t.get(Count.SENT) - lastTotals.get(Count.SENT)) / seconds,
        (t.get(Count.ECHOED) - lastTotals.get(Count.ECHOED)) / seconds, latency,
        t.errorsTotal() - lastTotals.errorsTotal(), t.closedBy(CloseCause.LOST));
    lastTotals = t;
    lastSampleNanos = now;
    return s;
  }

  /** Collects the verticles' latencies since the last call into the run's histograms (at the end, too). */
  Histogram drainLatency(long rampDoneNanos) {
    Histogram interval = new Histogram(MAX_MICROS, 3);
    for (int i = 0; i < verticles.size(); i++) {
      recycle[i] = verticles.get(i).takeLatency(recycle[i]);
      interval.add(recycle[i]);
      recycleLag[i] = verticles.get(i).takeSendLag(recycleLag[i]);
      sendLagTotal.add(recycleLag[i]);
    }
    latencyTotal.add(interval);
    if (rampDoneNanos != 0 && lastSampleNanos - rampDoneNanos >= 0) {
      latencyAfterRamp.add(interval); // an interval wholly after the ramp: the steady state
    }
    return interval;
  }

  /** The counts at the last sample. */
  LedgerTotals lastTotals() {
    return lastTotals;
  }

  /** Latency of the last sampled interval. */
  LatencySummary lastLatency() {
    return lastLatency;
  }

  Histogram latencyTotal() {
    return latencyTotal.copy();
  }

  Histogram latencyAfterRamp() {
    return latencyAfterRamp.copy();
  }

  Histogram sendLagTotal() {
    return sendLagTotal.copy();
  }
}
