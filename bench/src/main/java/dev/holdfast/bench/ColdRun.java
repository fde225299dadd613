package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;

/**
 * A server's first connections after its start, with no warm-up before them: the cold row of the
 * churn benchmark, and its "cold while busy" row, with a CPU burner beside the server (a node
 * restarting into a reconnect storm on a loaded host).
 *
 * @param cpuSeconds       the server's CPU across the connect
 * @param burnerCpuSeconds the burner's CPU across the same window (how busy it kept the machine); 0 without one
 */
record ColdRun(String server, int round, long handshakes, long failed, double seconds, double cpuSeconds,
    long handshakeP99Micros, double burnerCpuSeconds) {

  double cpuMicrosPerHandshake() {
    return handshakes == 0 ? Double.NaN : cpuSeconds * 1e6 / handshakes;
  }

  double handshakesPerSecond() {
    return seconds <= 0 ? Double.NaN : handshakes / seconds;
  }

  /** The burner's CPU over the window, in % of one core. */
  double burnerPercent() {
    return seconds <= 0 ? Double.NaN : burnerCpuSeconds / seconds * 100;
  }

  JsonObject toJson() {
    return new JsonObject().put("server", server).put("round", round).put("handshakes", handshakes)
        .put("failed", failed).put("seconds", seconds).put("serverCpuSeconds", cpuSeconds)
        .put("cpuMicrosPerHandshake", cpuMicrosPerHandshake()).put("handshakesPerSecond", handshakesPerSecond())
        .put("handshakeP99Micros", handshakeP99Micros).put("burnerCpuSeconds", burnerCpuSeconds)
        .put("burnerPercentOfOneCore", burnerPercent());
  }
}
