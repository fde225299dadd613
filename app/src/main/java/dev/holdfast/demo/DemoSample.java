package dev.holdfast.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's fleet at one instant, read from every child's admin port: what the live view shows
 * and the report plots. Rates are over the time since the previous reading of the same child.
 *
 * @param seconds since the simulators were started
 * @param phase the simulators' phase (hold, settle, close, done), the earliest of them
 * @param nodeHeld per node (in start order), the connections it holds by its own count
 * @param nodeKernel per node, the kernel's count of established sockets on its port (-1 unknown)
 * @param target the population target
 * @param simHeld connections the simulators hold, summed
 * @param simKernel the kernel's count of the simulators' sockets, summed (-1 unknown)
 * @param openedPerSecond connections the nodes opened per second
 * @param closedPerSecond connections the nodes closed per second
 * @param churnPerPeriod churn closes of the last interval, as a fraction of the target per churn period
 * @param churnSoFar achieved churn since the ramp, per period, as the simulators report it (NaN before)
 * @param messagesPerSecond messages the simulators sent per second
 * @param p50 echo p50 of the last interval, the highest of the simulators' (ms)
 * @param p99 echo p99 of the last interval, the highest of the simulators' (ms)
 * @param handshakeMs the demo's probe handshake to the nodes, the slowest of this reading (NaN none)
 * @param errors the simulators' errors so far
 * @param errorsByClass the simulators' errors so far, by class
 */
public record DemoSample(double seconds, String phase, long[] nodeHeld, long[] nodeKernel, long target, long simHeld,
    long simKernel, double openedPerSecond, double closedPerSecond, double churnPerPeriod, double churnSoFar,
    double messagesPerSecond, double p50, double p99, double handshakeMs, long errors, Map<String, Long> errorsByClass) {

  /** Connections the nodes hold, summed. */
  public long nodesHeld() {
    long n = 0;
    for (long h : nodeHeld) {
      n += Math.max(0, h);
    }
    return n;
  }

  /** The kernel's count on the nodes' ports, summed; -1 when a node's is unknown. */
  public long nodesKernel() {
    long n = 0;
    for (long k : nodeKernel) {
      if (k < 0) {
        return -1;
      }
      n += k;
    }
    return n;
  }

  public JsonObject toJson() {
    JsonArray held = new JsonArray();
    JsonArray kernel = new JsonArray();
    for (int i = 0; i < nodeHeld.length; i++) {
      held.add(nodeHeld[i]);
      kernel.add(nodeKernel[i]);
    }
    return new JsonObject().put("t", round(seconds)).put("phase", phase).put("nodeHeld", held).put("nodeKernel", kernel)
        .put("nodesHeld", nodesHeld()).put("target", target).put("simHeld", simHeld).put("simKernel", simKernel)
        .put("openedPerSecond", round(openedPerSecond)).put("closedPerSecond", round(closedPerSecond))
        .put("churnPerPeriod", nan(churnPerPeriod)).put("churnSoFar", nan(churnSoFar))
        .put("messagesPerSecond", round(messagesPerSecond)).put("p50", nan(p50)).put("p99", nan(p99))
        .put("handshakeMs", nan(handshakeMs)).put("errors", errors)
        .put("errorsByClass", new JsonObject(new TreeMap<String, Object>(errorsByClass)));
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : round(v);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
