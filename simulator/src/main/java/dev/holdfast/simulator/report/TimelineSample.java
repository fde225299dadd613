package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonObject;

/**
 * One progress tick: the state of the run at {@code seconds} after the start, and what happened
 * since the previous tick (churn closes, messages, latency, errors).
 *
 * @param seconds time since the start of the run
 * @param held connections held open (the simulator's count)
 * @param target this node's share of the population
 * @param os established sockets to the targets, as the kernel counts them (-1 = unknown)
 * @param cluster connections the servers say they hold (-1 = unknown)
 * @param opening handshakes in flight
 * @param waiting connections waiting to reopen or for a handshake slot
 * @param churned churn closes in this interval
 * @param stormed storm closes in this interval
 * @param openedPerSecond connections opened (handshakes completed) per second in this interval
 * @param sentPerSecond messages sent per second in this interval
 * @param echoedPerSecond echoes received per second in this interval
 * @param latency echo latency of this interval
 * @param errors errors counted in this interval
 * @param lost connections lost so far (dropped without a close frame: a node died or the link failed), the whole run's count
 */
public record TimelineSample(double seconds, long held, long target, long os, long cluster, long opening, long waiting,
    long churned, long stormed, double openedPerSecond, double sentPerSecond, double echoedPerSecond, LatencySummary latency, long errors,
    long lost) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("t", LatencySummary.round(seconds))
        .put("held", held)
        .put("target", target)
        .put("os", os)
        .put("cluster", cluster)
        .put("opening", opening)
        .put("waiting", waiting)
        .put("churned", churned)
        .put("stormed", stormed)
        .put("openedPerSecond", Math.round(openedPerSecond))
        .put("sentPerSecond", Math.round(sentPerSecond))
        .put("echoedPerSecond", Math.round(echoedPerSecond))
        .put("p50", latency.p50())
        .put("p99", latency.p99())
        .put("max", latency.max())
        .put("errors", errors)
        .put("lost", lost);
  }

  /** Reads a sample back from {@link #toJson()}. */
  public static TimelineSample fromJson(JsonObject j) {
    LatencySummary l = new LatencySummary(0, j.getDouble("p50", 0.0), 0, j.getDouble("p99", 0.0), 0,
        j.getDouble("max", 0.0), 0);
    return new TimelineSample(j.getDouble("t"), j.getLong("held"), j.getLong("target"), j.getLong("os", -1L),
        j.getLong("cluster", -1L), j.getLong("opening", 0L), j.getLong("waiting", 0L), j.getLong("churned", 0L),
        j.getLong("stormed", 0L), j.getLong("openedPerSecond", 0L), j.getLong("sentPerSecond", 0L), j.getLong("echoedPerSecond", 0L), l,
        j.getLong("errors", 0L), j.getLong("lost", 0L));
  }
}
