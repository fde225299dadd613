package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the report: the per-connection figures of a {@link Measurement}, or their medians
 * over several rounds (counts from the worst round, errors summed), so one noisy round on a shared
 * machine does not decide a row.
 */
record Row(String server, String label, String java, String jvmFlags, int target, int rounds,
    long clientHeld, long serverHeld, long osHeld, long osForeign,
    double heapPerConnection, double rssPerConnection, double heapPagesPerConnection, double otherRssPerConnection,
    double marginalHeapPerConnection, double marginalRssPerConnection,
    double heapBeforeMiB, double rssBeforeMiB, double rssHeldMiB,
    double handshakesPerSecond, double cpuMsPer1000Handshakes, double p50Micros, double p99Micros,
    double holdCpuPercent, double othersCpuPercent, long errors, JsonArray topClasses) {

  static Row of(Measurement m) {
    return new Row(m.server(), m.label(), m.java(), m.jvmFlags(), m.target(), 1,
        m.clientHeld(), m.serverHeld(), m.osHeld(), m.osForeign(),
        m.heapPerConnection(), m.rssPerConnection(), m.heapRssPerConnection(), m.nativeRssPerConnection(),
        m.marginalHeapPerConnection(), m.marginalRssPerConnection(),
        m.before().liveHeapBytes() / 1048576.0, m.before().rssKb() / 1024.0, m.held().rssKb() / 1024.0,
        m.handshakesPerSecond(), m.cpuMsPer1000Handshakes(), m.p50Micros(), m.p99Micros(),
        m.holdCpuPercent(), m.othersCpuPercent(), m.errors(), m.topClasses());
  }

  /** Medians over rounds of the same server and settings. */
  static Row median(List<Row> rows) {
    Row first = rows.get(0);
    Row counts = rows.stream().filter(r -> !r.countsAgree()).findFirst().orElse(first);
    return new Row(first.server, first.label, first.java, first.jvmFlags, first.target, rows.size(),
        counts.clientHeld, counts.serverHeld, counts.osHeld, counts.osForeign,
        med(rows, Row::heapPerConnection), med(rows, Row::rssPerConnection), med(rows, Row::heapPagesPerConnection),
        med(rows, Row::otherRssPerConnection), med(rows, Row::marginalHeapPerConnection),
        med(rows, Row::marginalRssPerConnection), med(rows, Row::heapBeforeMiB), med(rows, Row::rssBeforeMiB),
        med(rows, Row::rssHeldMiB), med(rows, Row::handshakesPerSecond), med(rows, Row::cpuMsPer1000Handshakes),
        med(rows, Row::p50Micros), med(rows, Row::p99Micros), med(rows, Row::holdCpuPercent),
        med(rows, Row::othersCpuPercent), rows.stream().mapToLong(Row::errors).sum(), first.topClasses);
  }

  static double med(List<Row> rows, ToDoubleFunction<Row> f) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /**
   * The driver's count equals the OS's count of the driver's connections, and the server's own
   * count (when it keeps one) equals the OS's count of all connections to its port.
   */
  boolean countsAgree() {
    return clientHeld == osHeld - osForeign && (serverHeld < 0 || serverHeld == osHeld);
  }

  Row withLabel(String newLabel) {
    return new Row(server, newLabel, java, jvmFlags, target, rounds, clientHeld, serverHeld, osHeld, osForeign,
        heapPerConnection,
        rssPerConnection, heapPagesPerConnection, otherRssPerConnection, marginalHeapPerConnection,
        marginalRssPerConnection, heapBeforeMiB, rssBeforeMiB, rssHeldMiB,
        handshakesPerSecond, cpuMsPer1000Handshakes, p50Micros, p99Micros, holdCpuPercent, othersCpuPercent, errors,
        topClasses);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.put("server", server).put("label", label).put("java", java).put("jvmFlags", jvmFlags).put("rounds", rounds)
        .put("held", new JsonObject().put("client", clientHeld).put("server", serverHeld).put("os", osHeld)
            .put("osNotFromDriver", osForeign))
        .put("liveHeapBytesPerConnection", heapPerConnection).put("rssGrowthBytesPerConnection", rssPerConnection)
        .put("rssGrowthHeapPagesBytesPerConnection", heapPagesPerConnection)
        .put("rssGrowthOtherBytesPerConnection", otherRssPerConnection)
        .put("marginalLiveHeapBytesPerConnection", marginalHeapPerConnection)
        .put("marginalRssBytesPerConnection", marginalRssPerConnection)
        .put("liveHeapBeforeMiB", heapBeforeMiB).put("rssBeforeMiB", rssBeforeMiB).put("rssHeldMiB", rssHeldMiB)
        .put("handshakesPerSecond", handshakesPerSecond).put("serverCpuMsPer1000Handshakes", cpuMsPer1000Handshakes)
        .put("echoP50Micros", p50Micros).put("echoP99Micros", p99Micros)
        .put("serverCpuHoldingPercentOfOneCore", holdCpuPercent)
        .put("otherProcessesCpuHoldingPercentOfOneCore", othersCpuPercent).put("errors", errors);
    return o;
  }

  @Override
  public String toString() {
    return label + Arrays.toString(new double[] {heapPerConnection, rssPerConnection, cpuMsPer1000Handshakes, p99Micros});
  }
}
