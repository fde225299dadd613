package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One server measured under the driver's load: raw readings and the per-connection figures
 * derived from them. Counts of -1 mean "not reported by this server".
 *
 * @param label        the row's name: the server, or the JVM variant in the tuning pass
 * @param osForeign    of {@code osHeld}, connections from addresses other than the driver's (other tenants)
 * @param before       memory after the warm-up, before the load
 * @param half         memory at the connect phase's pause half way (null without a pause)
 * @param connected    memory once every connection is open, before any echo
 * @param held         memory at full hold, after the echo window
 * @param handshakeCpu server CPU seconds across the connect phase (the pause excluded)
 * @param holdCpu      server CPU seconds over the hold window (echoes flowing)
 * @param othersCpu    CPU seconds every other process on the machine (not server, not driver) used meanwhile
 */
record Measurement(String server, String label, String java, String jvmFlags, int target,
    long clientHeld, long serverHeld, long osHeld, long osForeign,
    Snapshot before, Snapshot half, Snapshot connected, Snapshot held,
    long handshakesOk, double connectSeconds, double handshakeCpu,
    double holdSeconds, double holdCpu, double othersCpu,
    long echoes, long p50Micros, long p99Micros, long errors, JsonObject errorKinds,
    JsonArray topClasses, JsonObject driver) {

  /** Live heap growth from before the load to full hold, per connection held. */
  double heapPerConnection() {
    return clientHeld == 0 ? Double.NaN : held.heapPerConnection(before, clientHeld);
  }

  double rssPerConnection() {
    return clientHeld == 0 ? Double.NaN : held.rssPerConnection(before, clientHeld);
  }

  /** The part of {@link #rssPerConnection} that is Java heap pages. */
  double heapRssPerConnection() {
    return clientHeld == 0 ? Double.NaN : held.heapPagesPerConnection(before, clientHeld);
  }

  /** The rest: metaspace, code cache, thread stacks, direct buffers, malloc. */
  double nativeRssPerConnection() {
    return rssPerConnection() - heapRssPerConnection();
  }

  /**
   * Live heap per connection between the half-way pause and the end of the connect phase: the cost
   * of one more connection, free of one-time growth (JIT, pools) and of the echo phase.
   */
  double marginalHeapPerConnection() {
    long n = half == null ? 0 : connected.connections() - half.connections();
    return n <= 0 ? Double.NaN : connected.heapPerConnection(half, n);
  }

  double marginalRssPerConnection() {
    long n = half == null ? 0 : connected.connections() - half.connections();
    return n <= 0 ? Double.NaN : connected.rssPerConnection(half, n);
  }

  double handshakesPerSecond() {
    return handshakesOk / connectSeconds;
  }

  /** Server CPU milliseconds per 1,000 handshakes (equal to µs per handshake). */
  double cpuMsPer1000Handshakes() {
    return handshakesOk == 0 ? Double.NaN : handshakeCpu * 1000 / handshakesOk * 1000;
  }

  /** Server CPU while holding, as a percentage of one core. */
  double holdCpuPercent() {
    return holdCpu / holdSeconds * 100;
  }

  /** What the rest of the machine used during the hold, in % of one core: the noise under the CPU and latency figures. */
  double othersCpuPercent() {
    return othersCpu / holdSeconds * 100;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("server", server).put("label", label).put("java", java).put("jvmFlags", jvmFlags)
        .put("targetConnections", target)
        .put("held", new JsonObject().put("client", clientHeld).put("server", serverHeld).put("os", osHeld)
            .put("osNotFromDriver", osForeign))
        .put("memory", new JsonObject().put("before", before.toJson()).put("half", half == null ? null : half.toJson())
            .put("connected", connected.toJson()).put("held", held.toJson()))
        .put("liveHeapBytesPerConnection", heapPerConnection())
        .put("rssGrowthBytesPerConnection", rssPerConnection())
        .put("rssGrowthHeapPagesBytesPerConnection", heapRssPerConnection())
        .put("marginalLiveHeapBytesPerConnection", marginalHeapPerConnection())
        .put("marginalRssBytesPerConnection", marginalRssPerConnection())
        .put("handshakes", new JsonObject().put("ok", handshakesOk).put("seconds", connectSeconds)
            .put("perSecond", handshakesPerSecond()).put("serverCpuSeconds", handshakeCpu)
            .put("serverCpuMsPer1000", cpuMsPer1000Handshakes()))
        .put("hold", new JsonObject().put("seconds", holdSeconds).put("serverCpuSeconds", holdCpu)
            .put("serverCpuPercentOfOneCore", holdCpuPercent()).put("otherProcessesCpuSeconds", othersCpu))
        .put("echo", new JsonObject().put("count", echoes).put("p50Micros", p50Micros).put("p99Micros", p99Micros))
        .put("errors", errors).put("errorKinds", errorKinds)
        .put("heapGrowthByClassPerConnection", topClasses)
        .put("driver", driver);
  }
}
