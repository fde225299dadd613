package dev.holdfast.simulator.report;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.LedgerTotals;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a simulator node observed in one run, as raw facts in small groups; {@link RunReport#from}
 * derives the report (achieved churn, tolerance verdicts, drift) from them.
 *
 * @param config the config of the run
 * @param node who ran it, and on what
 * @param phases how long each phase of the run took
 * @param ramp the ramp and the churn window after it
 * @param observed the counts, histograms and timeline
 * @param end the share and the three counts once settled
 */
public record RunFacts(SimulatorConfig config, Node node, Phases phases, Ramp ramp, Observed observed, End end) {

  /**
   * @param nodeId this simulator node
   * @param members the simulator fleet at the end
   * @param instances simulator verticles on this node
   * @param transport "native" (epoll) or "nio"
   * @param startedAtEpochMillis wall-clock start
   * @param openFileLimit the process's open-file limit
   * @param fleetProblem why this node could not hold its share (the fleet is too small), or null
   */
  public record Node(String nodeId, List<String> members, int instances, String transport, long startedAtEpochMillis,
      long openFileLimit, String fleetProblem) {
  }

  /**
   * @param holdSeconds from the start to the end of the hold
   * @param settleSeconds time spent settling after the hold
   * @param settled whether everything settled before settleTimeout
   * @param closeSeconds time spent closing everything
   */
  public record Phases(double holdSeconds, double settleSeconds, boolean settled, double closeSeconds) {
  }

  /**
   * @param seconds when the share was first held within tolerance; NaN if never
   * @param fromFirstOpenSeconds from the first connection opened to then: the ramp's own length
   * @param openedByThen connections opened by then
   * @param churnWindowCloses churn closes between the end of the ramp and the end of the hold
   * @param churnWindowSeconds length of that window; NaN when the ramp never ended
   * @param stormAtSeconds when the storm hit; NaN for none
   */
  public record Ramp(double seconds, double fromFirstOpenSeconds, long openedByThen, long churnWindowCloses,
      double churnWindowSeconds, double stormAtSeconds) {
  }

  /**
   * @param totals the verticles' counts after closing
   * @param latencyMicros every echo's latency, in microseconds
   * @param latencyAfterRampMicros the latency of echoes in progress intervals wholly after the ramp
   * @param sendLagMicros how late every message left, in microseconds: the simulator's own part of latency
   * @param timeline one sample per progress tick, and one at the end of the hold
   */
  public record Observed(LedgerTotals totals, Histogram latencyMicros, Histogram latencyAfterRampMicros,
      Histogram sendLagMicros, List<TimelineSample> timeline) {
  }

  /**
   * @param share this node's share of the population at the end
   * @param held the simulator's count once settled (before closing)
   * @param os the kernel's count of established sockets to the targets then (-1 = unknown)
   * @param cluster the servers' count then (-1 = unknown or not comparable)
   * @param clusterCompared what the servers' count compared, in words (null = not said)
   * @param notComparable why the servers' count could not be taken at one settled instant (null = it could, or
   *     there is no source for it): a failed check, never an agreement
   * @param fleet the fleet-level numbers behind the servers' count, in a fleet; else null
   */
  public record End(long share, long held, long os, long cluster, String clusterCompared, String notComparable,
      Fleet fleet) {

    /** The counts without a word on what the servers' count compared. */
    public End(long share, long held, long os, long cluster) {
      this(share, held, os, cluster, null, null, null);
    }
  }

  /**
   * A simulator fleet at its settled instant, as this simulator saw it.
   *
   * @param nodesHeld the echo nodes' total, by their own counts
   * @param nodes echo nodes summed
   * @param otherSimulatorsHeld the other simulators' settled counts, summed
   * @param otherSimulators how many other simulators
   */
  public record Fleet(long nodesHeld, long nodes, long otherSimulatorsHeld, int otherSimulators) {
  }
}
