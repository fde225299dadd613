package dev.holdfast.simulator.report;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.LedgerTotals;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a simulator node observed in one run, as raw facts; {@link RunReport#from} derives the
 * report (achieved churn, tolerance verdicts, drift) from them.
 *
 * @param config the config of the run
 * @param nodeId this simulator node
 * @param members the simulator fleet at the end
 * @param instances simulator verticles on this node
 * @param transport "native" (epoll) or "nio"
 * @param share this node's share of the population at the end
 * @param startedAtEpochMillis wall-clock start
 * @param holdSeconds from the start to the end of the hold
 * @param settleSeconds time spent settling after the hold
 * @param settled whether everything settled before settleTimeout
 * @param closeSeconds time spent closing everything
 * @param totals the verticles' counts after closing
 * @param latencyMicros every echo's latency, in microseconds
 * @param latencyAfterRampMicros the latency of echoes in progress intervals wholly after the ramp
 * @param sendLagMicros how late every message left, in microseconds: the simulator's own part of latency
 * @param timeline one sample per progress tick, and one at the end of the hold
 * @param rampSeconds when the share was first held within tolerance; NaN if never
 * @param rampFromFirstOpenSeconds from the first connection opened to then: the ramp's own length
 * @param openedAtRampDone connections opened by then
 * @param churnWindowCloses churn closes between the end of the ramp and the end of the hold
 * @param churnWindowSeconds length of that window; NaN when the ramp never ended
 * @param stormAtSeconds when the storm hit; NaN for none
 * @param heldAtEnd the simulator's count once settled (before closing)
 * @param osAtEnd the kernel's count of established sockets to the targets then (-1 = unknown)
 * @param clusterAtEnd the servers' count then (-1 = unknown)
 * @param openFileLimit the process's open-file limit
 */
public record RunFacts(SimulatorConfig config, String nodeId, List<String> members, int instances, String transport,
    long share, long startedAtEpochMillis, double holdSeconds, double settleSeconds, boolean settled, double closeSeconds,
    LedgerTotals totals, Histogram latencyMicros, Histogram latencyAfterRampMicros,
    Histogram sendLagMicros, List<TimelineSample> timeline, double rampSeconds,
    double rampFromFirstOpenSeconds, long openedAtRampDone, long churnWindowCloses, double churnWindowSeconds, double stormAtSeconds,
    long heldAtEnd, long osAtEnd, long clusterAtEnd, long openFileLimit) {
}
