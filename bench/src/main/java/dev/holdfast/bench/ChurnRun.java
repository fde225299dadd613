package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One server in one round of the churn benchmark: its cold start (the first connections after
 * start, no warm-up), the churn steps, the echo-only step after them, threads, memory and counts,
 * and the figures the report derives from them. Counts of -1 mean "not reported by this server".
 *
 * @param threadsIdle    threads right after start, before any connection
 * @param threadsHolding threads while holding every connection, echoes only
 * @param cold           the first connections after start
 * @param rest           the echo-only step after the churn steps (JIT and pools warm): CPU per echo, and the CPU
 *                       a churn step pays beside its reconnects
 * @param before         memory after start, before any connection
 * @param connected      memory holding {@code connected.connections()} right after the cold connect, before any echo
 * @param afterChurn     memory holding {@code afterChurn.connections()} after the churn steps
 * @param released       memory once every connection has closed
 * @param serverHeld     the server's own count after the churn steps, as are {@code osHeld} and the driver's
 * @param serverCores    CPUs the server could run on
 */
record ChurnRun(String server, int round, long threadsIdle, long threadsHolding,
    ColdRun cold, ChurnStep rest, List<ChurnStep> steps, ChurnLadder ladder, int serverCores,
    Snapshot before, Snapshot connected, Snapshot afterChurn, Snapshot released, long serverHeld, long osHeld,
    long errors, JsonObject errorKinds) {

  /** Server CPU per handshake of the cold connect, in µs. */
  double coldCpuMicrosPerHandshake() {
    return cold.cpuMicrosPerHandshake();
  }

  double coldHandshakesPerSecond() {
    return cold.handshakesPerSecond();
  }

  /** Server CPU per echo while holding without churn, in µs: the background work of the server is in it. */
  double cpuMicrosPerEcho() {
    return rest.echoes() == 0 ? Double.NaN : rest.serverCpuSeconds() * 1e6 / rest.echoes();
  }

  /**
   * Server CPU of a step's reconnects, in µs each: the step's CPU less what the echo-only step
   * used in as long a window (echoes and background go on during churn), per reconnect.
   */
  double netCpuMicrosPerReconnect(ChurnStep s) {
    if (s.reconnects() == 0 || rest.steadySeconds() <= 0) {
      return Double.NaN;
    }
    double base = rest.serverCpuSeconds() / rest.steadySeconds() * s.steadySeconds();
    return (s.serverCpuSeconds() - base) * 1e6 / s.reconnects();
  }

  /** Target rates of the steps that reached their rate (whatever their latency): where CPU per reconnect is comparable. */
  Set<Double> reachedRates() {
    Set<Double> rates = new TreeSet<>();
    steps.stream().filter(ChurnStep::reached).forEach(s -> rates.add(s.targetPerSecond()));
    return rates;
  }

  /** {@link #warmCpuMicrosPerReconnect(Set)} over every step that reached its rate. */
  double warmCpuMicrosPerReconnect() {
    return warmCpuMicrosPerReconnect(reachedRates());
  }

  /**
   * The warm CPU per reconnect (a close and a handshake), in µs: the net CPU of the steps at these
   * target rates that reached them, over all their reconnects, so the busier steps, whose readings
   * are largest against the clock tick and the base subtracted, weigh most. Servers compare at the
   * same rates (the report passes the rates every server of the round reached): CPU per reconnect
   * falls as the rate rises (more work per wake-up). NaN if there is no such step.
   */
  double warmCpuMicrosPerReconnect(Set<Double> rates) {
    double cpu = 0;
    long n = 0;
    for (ChurnStep s : steps) {
      if (rates.contains(s.targetPerSecond()) && s.reached() && s.reconnects() > 0) {
        cpu += s.serverCpuSeconds() - rest.serverCpuSeconds() / rest.steadySeconds() * s.steadySeconds();
        n += s.reconnects();
      }
    }
    return n == 0 || rest.steadySeconds() <= 0 ? Double.NaN : cpu * 1e6 / n;
  }

  double sustainedPerSecond() {
    return ladder.sustainedPerSecond(steps);
  }

  double sustainedPerSecondPerCore() {
    return sustainedPerSecond() / serverCores;
  }

  String stopReason() {
    return ladder.stopReason(steps);
  }

  /**
   * Live heap per held connection: held after the cold connect minus released at the end, both
   * after a full GC, so what stays once the connections are gone (pools and caches the first
   * connections filled) is not counted.
   */
  double heapPerHeldConnection() {
    return connected.connections() == 0 ? Double.NaN
        : (double) (connected.liveHeapBytes() - released.liveHeapBytes()) / connected.connections();
  }

  /**
   * RSS growth from before the first connection to holding them after the cold connect, per held
   * connection (as the lean-node benchmark; before the churn, whose garbage makes the collector
   * touch heap pages that then stay resident whatever is live).
   */
  double rssPerHeldConnection() {
    return connected.rssPerConnection(before, Math.max(1, connected.connections()));
  }

  /** Live heap after the churn steps less after the cold connect, per held connection: what churn left behind. */
  double heapLeftByChurnPerConnection() {
    return afterChurn.connections() == 0 ? Double.NaN
        : (double) (afterChurn.liveHeapBytes() - connected.liveHeapBytes()) / afterChurn.connections();
  }

  /** Threads at rest: the more of idle after start and holding without churn (pools that start lazily count). */
  long threadsAtRest() {
    return Math.max(threadsIdle, threadsHolding);
  }

  /** Driver, server and kernel agree on the connections held (the server's own count only where it keeps one). */
  boolean countsAgree() {
    return afterChurn.connections() == osHeld && (serverHeld < 0 || serverHeld == osHeld);
  }

  JsonObject toJson() {
    long bound = ladder.boundMicros();
    return new JsonObject().put("server", server).put("round", round)
        .put("threads", new JsonObject().put("idle", threadsIdle).put("holding", threadsHolding))
        .put("cold", cold.toJson())
        .put("rest", rest.toJson(bound).put("cpuMicrosPerEcho", cpuMicrosPerEcho()))
        .put("steps", new JsonArray(steps.stream().map(s -> s.toJson(bound)
            .put("netCpuMicrosPerReconnect", netCpuMicrosPerReconnect(s))).toList()))
        .put("warmCpuMicrosPerReconnect", warmCpuMicrosPerReconnect())
        .put("sustainedPerSecond", sustainedPerSecond()).put("serverCores", serverCores)
        .put("sustainedPerSecondPerCore", sustainedPerSecondPerCore()).put("stopReason", stopReason())
        .put("memory", new JsonObject().put("before", before.toJson()).put("connected", connected.toJson())
            .put("afterChurn", afterChurn.toJson()).put("released", released.toJson())
            .put("liveHeapBytesPerHeldConnection", heapPerHeldConnection())
            .put("rssGrowthBytesPerHeldConnection", rssPerHeldConnection())
            .put("liveHeapLeftByChurnBytesPerConnection", heapLeftByChurnPerConnection()))
        .put("held", new JsonObject().put("client", afterChurn.connections()).put("server", serverHeld)
            .put("os", osHeld))
        .put("errors", errors).put("errorKinds", errorKinds);
  }
}
