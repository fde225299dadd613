package dev.holdfast.demo;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every child's admin port once a second and turns what they say into {@link DemoSample}s:
 * the simulators' {@code /status} and error counts every time, the nodes' {@code /status} every
 * {@link DemoPlan#nodeStatusEverySeconds()}, and a probe
 * handshake to each node while the hold lasts. Not thread-safe: the demo's loop calls it.
 */
final class FleetSampler {

  private static final List<String> PHASES = List.of("starting", "hold", "settle", "close", "done");
  private static final int HOLD = PHASES.indexOf("hold");

  private final StatusClient client;
  private final List<Child> nodes;
  private final List<Child> simulators;
  private final long target;
  private final double periodSeconds;
  private final int nodeEvery;
  private final long startNanos;
  private final long[] nodeHeld;
  private final long[] nodeKernel;
  private final Map<String, JsonObject> lastStatus = new HashMap<>();
  private long[] nodeOpened;
  private long[] nodeClosed;
  private long nodeReadNanos;
  private double openedPerSecond;
  private double closedPerSecond;
  private long lastChurnCloses = -1;
  private long lastSent = -1;
  private long lastSimNanos;
  private int readings;

  FleetSampler(StatusClient client, List<Child> nodes, List<Child> simulators, long target, double periodSeconds,
      int nodeEvery, long startNanos) {
    this.client = client;
    this.nodes = nodes;
    this.simulators = simulators;
    this.target = target;
    this.periodSeconds = periodSeconds;
    this.nodeEvery = nodeEvery;
    this.startNanos = startNanos;
    this.nodeHeld = new long[nodes.size()];
    this.nodeKernel = new long[nodes.size()];
    java.util.Arrays.fill(nodeKernel, -1);
  }

  /** The last {@code /status} each child answered, by name. */
  Map<String, JsonObject> lastStatus() {
    return Map.copyOf(lastStatus);
  }

  /**
   * Reads the fleet now. {@code probe}: also time a handshake to each node, but only while every
   * simulator still holds: a probe is a real connection the nodes count, and one open at the fleet's
   * settled instant (a slow handshake on a saturated machine takes over a second) would make the nodes'
   * total one more than the simulators' own counts.
   */
  DemoSample take(boolean probe) {
    long now = System.nanoTime();
    if (readings++ % nodeEvery == 0) {
      readNodes(now);
    }
    long held = 0;
    long kernel = 0;
    long churnCloses = 0;
    long sent = 0;
    long errors = 0;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double weighted = 0;
    boolean achievedKnown = true;
    int phase = PHASES.size() - 1;
    int latestPhase = 0;
    Map<String, Long> byClass = new HashMap<>();
    for (Child s : simulators) {
      Optional<JsonObject> st = client.status(s);
      if (st.isEmpty()) {
        JsonObject last = lastStatus.get(s.name());
        // silent before its first answer: still starting; after one: closing its admin port at the end
        phase = Math.min(phase, last == null && s.alive() ? 0 : PHASES.size() - 1);
        latestPhase = Math.max(latestPhase, last == null && s.alive() ? 0 : PHASES.size() - 1);
        if (last != null) { // ended or busy: keep its last counts so totals do not jump
          churnCloses += last.getJsonObject("churn").getLong("closes", 0L);
          sent += last.getJsonObject("messages").getLong("sent", 0L);
        }
        kernel = -1;
        achievedKnown = false;
        continue;
      }
      JsonObject j = st.get();
      lastStatus.put(s.name(), j);
      phase = Math.min(phase, Math.max(0, PHASES.indexOf(j.getString("phase", "hold"))));
      latestPhase = Math.max(latestPhase, Math.max(0, PHASES.indexOf(j.getString("phase", "hold"))));
      JsonObject pop = j.getJsonObject("population");
      held += pop.getLong("held", 0L);
      long os = j.getJsonObject("counts").getLong("os", -1L);
      kernel = kernel < 0 || os < 0 ? -1 : kernel + os;
      JsonObject churn = j.getJsonObject("churn");
      churnCloses += churn.getLong("closes", 0L);
      Double achieved = churn.getDouble("achievedFraction");
      if (achieved == null) {
        achievedKnown = false;
      } else {
        weighted += achieved * pop.getLong("share", 0L);
      }
      sent += j.getJsonObject("messages").getLong("sent", 0L);
      JsonObject lat = j.getJsonObject("latencyMs");
      if (lat.getLong("count", 0L) > 0) {
        p50 = Double.isNaN(p50) ? lat.getDouble("p50") : Math.max(p50, lat.getDouble("p50"));
        p99 = Double.isNaN(p99) ? lat.getDouble("p99") : Math.max(p99, lat.getDouble("p99"));
      }
      errors += j.getLong("errors", 0L);
      client.errorsByClass(s).forEach((k, v) -> byClass.merge(k, v, Long::sum));
    }
    double dt = lastSimNanos == 0 ? Double.NaN : (now - lastSimNanos) / 1e9;
    double churnPerPeriod = lastChurnCloses < 0 || Double.isNaN(dt) || target == 0 ? Double.NaN
        : (churnCloses - lastChurnCloses) / (double) target / (dt / periodSeconds);
    double msgs = lastSent < 0 || Double.isNaN(dt) ? 0 : (sent - lastSent) / dt;
    lastChurnCloses = churnCloses;
    lastSent = sent;
    lastSimNanos = now;
    double handshake = Double.NaN;
    if (probe && latestPhase <= HOLD) {
      for (Child n : nodes) {
        double ms = client.handshakeMillis(n);
        if (!Double.isNaN(ms)) {
          handshake = Double.isNaN(handshake) ? ms : Math.max(handshake, ms);
        }
      }
    }
    return new DemoSample((now - startNanos) / 1e9, PHASES.get(phase), nodeHeld.clone(), nodeKernel.clone(), target,
        held, kernel, openedPerSecond, closedPerSecond, churnPerPeriod,
        achievedKnown && target > 0 ? weighted / target : Double.NaN, msgs, p50, p99, handshake, errors, byClass);
  }

  private void readNodes(long now) {
    long[] opened = new long[nodes.size()];
    long[] closed = new long[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      Optional<JsonObject> st = client.status(nodes.get(i));
      if (st.isEmpty()) {
        opened[i] = nodeOpened == null ? 0 : nodeOpened[i];
        closed[i] = nodeClosed == null ? 0 : nodeClosed[i];
        continue;
      }
      JsonObject j = st.get();
      lastStatus.put(nodes.get(i).name(), j);
      JsonObject c = j.getJsonObject("connections");
      nodeHeld[i] = c.getLong("held", 0L);
      opened[i] = c.getLong("opened", 0L);
      closed[i] = c.getLong("closed", 0L);
      JsonObject os = j.getJsonObject("os");
      nodeKernel[i] = os == null ? -1 : os.getLong("established", -1L);
    }
    if (nodeOpened != null) {
      double dt = Math.max(1e-3, (now - nodeReadNanos) / 1e9);
      openedPerSecond = (sum(opened) - sum(nodeOpened)) / dt;
      closedPerSecond = (sum(closed) - sum(nodeClosed)) / dt;
    }
    nodeOpened = opened;
    nodeClosed = closed;
    nodeReadNanos = now;
  }

  private static long sum(long[] a) {
    long n = 0;
    for (long v : a) {
      n += v;
    }
    return n;
  }
}
