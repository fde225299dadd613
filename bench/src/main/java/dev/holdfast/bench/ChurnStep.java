package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;

/**
 * One step of the churn benchmark, over its steady part (the settle part before it is not
 * counted): what the driver saw and the server's CPU from {@code /proc} across the same window.
 * A target rate of 0 is the echo-only step.
 *
 * @param targetPerSecond the reconnects a second the driver was asked for
 * @param steadySeconds   the steady window's length, as the driver timed it
 * @param reconnects      handshakes that completed in the window
 * @param closes          churn closes the driver started in the window
 * @param failed          handshakes that failed in the window
 * @param echoes          echoes received in the window
 * @param errors          errors of any kind the driver counted in the window
 * @param serverCpuSeconds the server's user + system CPU across the window
 * @param othersCpuSeconds CPU the rest of the machine (not server, not driver) used meanwhile
 */
record ChurnStep(double targetPerSecond, double steadySeconds, long reconnects, long closes, long failed, long echoes,
    long errors, long echoP50Micros, long echoP99Micros, long handshakeP99Micros, long open,
    double serverCpuSeconds, double othersCpuSeconds) {

  /** A step reached at least this share of its target rate, or the driver (or the server) could not keep up. */
  static final double REACHED = 0.9;

  /** Reconnects per second achieved over the steady window. */
  double achievedPerSecond() {
    return steadySeconds <= 0 ? 0 : reconnects / steadySeconds;
  }

  /** Reached at least 90% of its target rate (the echo-only step always). */
  boolean reached() {
    return targetPerSecond == 0 || achievedPerSecond() >= REACHED * targetPerSecond;
  }

  /** Held the bound: echo p99 within it, the target rate reached, no errors. */
  boolean held(long boundMicros) {
    return failure(boundMicros) == null;
  }

  /** Why this step did not hold the bound, or null when it did. */
  String failure(long boundMicros) {
    if (echoP99Micros > boundMicros) {
      return String.format("echo p99 %.1f ms over the %.0f ms bound", echoP99Micros / 1000.0, boundMicros / 1000.0);
    }
    if (errors > 0) {
      return errors + " errors";
    }
    if (!reached()) {
      return String.format("%,.0f reconnects/s reached of %,.0f", achievedPerSecond(), targetPerSecond);
    }
    return null;
  }

  /** Server CPU a second over the window, in cores. */
  double serverCores() {
    return steadySeconds <= 0 ? 0 : serverCpuSeconds / steadySeconds;
  }

  /** Reads the driver's {@code @step} event and adds the harness's CPU readings. */
  static ChurnStep of(JsonObject step, double serverCpuSeconds, double othersCpuSeconds) {
    JsonObject echo = step.getJsonObject("echoLatency");
    return new ChurnStep(step.getDouble("rate"), step.getDouble("steadySeconds"), step.getLong("reconnects"),
        step.getLong("closes"), step.getLong("failed"), step.getLong("echoes"), step.getLong("errors"),
        echo.getLong("p50Micros"), echo.getLong("p99Micros"), step.getJsonObject("handshakeLatency").getLong("p99Micros"),
        step.getLong("open"), serverCpuSeconds, othersCpuSeconds);
  }

  JsonObject toJson(long boundMicros) {
    return new JsonObject().put("targetPerSecond", targetPerSecond).put("achievedPerSecond", achievedPerSecond())
        .put("steadySeconds", steadySeconds).put("reconnects", reconnects).put("closes", closes).put("failed", failed)
        .put("echoes", echoes).put("errors", errors).put("echoP50Micros", echoP50Micros)
        .put("echoP99Micros", echoP99Micros).put("handshakeP99Micros", handshakeP99Micros).put("open", open)
        .put("serverCpuSeconds", serverCpuSeconds).put("otherProcessesCpuSeconds", othersCpuSeconds)
        .put("heldBound", held(boundMicros)).put("failure", failure(boundMicros));
  }
}
