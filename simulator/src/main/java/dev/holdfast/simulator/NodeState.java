package dev.holdfast.simulator;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.ConnectionState;
import dev.holdfast.simulator.connection.LedgerTotals;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.report.LatencySummary;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a simulator node's own context knows, as one immutable snapshot: the context publishes a
 * new one whenever it changes something, and every other thread (the metrics, the CLI, tests)
 * reads only the latest. The connection counts are not in it: they are read from the verticles'
 * ledgers, which any thread may read.
 *
 * @param phase hold, settle, close or done
 * @param ready whether the admin port answers ready
 * @param members the simulator fleet at the last membership poll
 * @param share this node's share of the population; -1 before it has joined the fleet
 * @param canHold connections this process can hold (open-file limit less the reserve)
 * @param fleetProblem why the share cannot be held (the fleet is too small), or null
 * @param os the kernel's count as last read (-1 unknown)
 * @param cluster the servers' count as last read (-1 unknown)
 * @param achievedFraction churn achieved so far, NaN before the ramp is done
 * @param latency echo latency of the last progress interval
 * @param adminPort the admin port, -1 before it listens
 */
record NodeState(String phase, boolean ready, List<String> members, long share, long canHold, String fleetProblem,
    long os, long cluster, double achievedFraction, LatencySummary latency, int adminPort) {

  /** Before the node has started. */
  static NodeState starting(long canHold) {
    return new NodeState("hold", false, List.of(), -1, canHold, null, -1, -1, Double.NaN, LatencySummary.EMPTY, -1);
  }

  /** The state as {@code GET /status} shows it, with the verticles' counts {@code t}. */
  JsonObject status(SimulatorConfig config, LedgerTotals t, double seconds) {
    return new JsonObject()
        .put("nodeId", config.nodeId())
        .put("phase", phase)
        .put("ready", ready)
        .put("seconds", seconds)
        .put("members", members)
        .put("population", new JsonObject().put("target", config.population()).put("joined", share >= 0)
            .put("share", Math.max(0, share)).put("held", t.held()).put("connecting", t.inState(ConnectionState.CONNECTING))
            .put("waiting", t.inState(ConnectionState.WAITING)).put("closing", t.inState(ConnectionState.CLOSING))
            .put("canHold", canHold).put("fleetTooSmall", fleetProblem))
        .put("counts", new JsonObject().put("simulator", t.held()).put("os", os).put("cluster", cluster))
        .put("churn", new JsonObject().put("closes", t.closedBy(CloseCause.CHURN))
            .put("configuredFraction", config.churn().fraction())
            .put("achievedFraction", Double.isNaN(achievedFraction) ? null : achievedFraction))
        .put("messages", new JsonObject().put("sent", t.get(Count.SENT)).put("echoed", t.get(Count.ECHOED))
            .put("lost", t.get(Count.LOST)).put("duplicated", t.get(Count.DUPLICATED))
            .put("reordered", t.get(Count.REORDERED)).put("mismatched", t.get(Count.MISMATCHED))
            .put("late", t.get(Count.LATE)))
        .put("latencyMs", latency.toJson())
        .put("errors", t.errorsTotal())
        .put("illegalTransitions", t.get(Count.ILLEGAL_TRANSITIONS));
  }
}
