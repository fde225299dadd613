package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One server in one round of the churn benchmark: its cold start (the first connections after
 * start, no warm-up), the echo-only step, the churn steps, threads, memory and counts, and the
 * figures the report derives from them. Counts of -1 mean "not reported by this server".
 *
 * @param threadsIdle    threads right after start, before any connection
 * @param threadsHolding threads while holding every connection, echoes only
 * @param cold           the first connections after start
 * @param rest           the echo-only step (no churn): CPU per echo, and the CPU a churn step pays beside its reconnects
 * @param before         memory after start, before any connection
 * @param held           memory holding {@code held.connections()}, after the churn steps
 * @param released       memory once every connection has closed
 * @param serverCores    CPUs the server could run on
 */
record ChurnRun(String server, int round, long threadsIdle, long threadsHolding,
    ColdRun cold, ChurnStep rest, List<ChurnStep> steps, ChurnLadder ladder, int serverCores,
    Snapshot before, Snapshot held, Snapshot released, long serverHeld, long osHeld,
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

  /**
   * The warm CPU per reconnect (a close and a handshake), in µs: the net CPU of every step that
   * held the bound over all their reconnects, so the busier steps, whose readings are largest
   * against the clock tick and the base subtracted, weigh most. NaN if no step held.
   */
  double warmCpuMicrosPerReconnect() {
    double cpu = 0;
    long n = 0;
    for (ChurnStep s : steps) {
      if (s.held(ladder.boundMicros()) && s.reconnects() > 0) {
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
   * Live heap per held connection: held minus released, both after a full GC, so what stays after
   * the connections are gone (JIT, pools, caches filled by the first connections) is not counted.
   */
  double heapPerHeldConnection() {
    return held.connections() == 0 ? Double.NaN
        : (double) (held.liveHeapBytes() - released.liveHeapBytes()) / held.connections();
  }

  /** RSS growth from before the first connection to holding them, per held connection (as the lean-node benchmark). */
  double rssPerHeldConnection() {
    return held.rssPerConnection(before, Math.max(1, held.connections()));
  }

  /** Threads at rest: the more of idle after start and holding without churn (pools that start lazily count). */
  long threadsAtRest() {
    return Math.max(threadsIdle, threadsHolding);
  }

  /** Driver, server and kernel agree on the connections held (the server's own count only where it keeps one). */
  boolean countsAgree() {
    return held.connections() == osHeld && (serverHeld < 0 || serverHeld == osHeld);
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
        .put("memory", new JsonObject().put("before", before.toJson()).put("held", held.toJson())
            .put("released", released.toJson()).put("liveHeapBytesPerHeldConnection", heapPerHeldConnection())
            .put("rssGrowthBytesPerHeldConnection", rssPerHeldConnection()))
        .put("held", new JsonObject().put("client", held.connections()).put("server", serverHeld).put("os", osHeld))
        .put("errors", errors).put("errorKinds", errorKinds);
  }
}
