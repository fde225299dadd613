package dev.holdfast.plan;

import dev.holdfast.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-connection costs a plan is computed from: by default the ones measured on this project's
 * development machine and recorded in {@code holdfast/plan/measured-costs.json} (each citing its
 * {@code bench/results} file), or those found in a report given to {@code holdfast plan --report}.
 */
public final class Costs {

  /** Node process memory per held connection (heap sized at twice the live heap, plus native growth). */
  public static final String NODE_BYTES = "node.bytesPerConnection";
  /** Node process memory before any connection. */
  public static final String NODE_BASE_BYTES = "node.baseBytes";
  /** Simulator process memory per held connection. */
  public static final String SIMULATOR_BYTES = "simulator.bytesPerConnection";
  /** Simulator process memory before any connection. */
  public static final String SIMULATOR_BASE_BYTES = "simulator.baseBytes";
  /** Kernel memory per established socket, outside any process. */
  public static final String KERNEL_BYTES = "kernel.bytesPerSocket";
  /** Node CPU per WebSocket handshake. */
  public static final String NODE_CPU_HANDSHAKE = "node.cpuMicrosPerHandshake";
  /** Node CPU per echoed message. */
  public static final String NODE_CPU_ECHO = "node.cpuMicrosPerEcho";
  /** Simulator CPU per handshake. */
  public static final String SIMULATOR_CPU_HANDSHAKE = "simulator.cpuMicrosPerHandshake";
  /** Simulator CPU per message sent and checked. */
  public static final String SIMULATOR_CPU_MESSAGE = "simulator.cpuMicrosPerMessage";
  /** Largest Hazelcast cluster (members) the cluster-view benchmark held correct views at. */
  public static final String CLUSTER_MEMBERS_MAX = "cluster.membersMax";

  /** Every key a complete set of costs has. */
  public static final List<String> KEYS = List.of(NODE_BYTES, NODE_BASE_BYTES, SIMULATOR_BYTES, SIMULATOR_BASE_BYTES,
      KERNEL_BYTES, NODE_CPU_HANDSHAKE, NODE_CPU_ECHO, SIMULATOR_CPU_HANDSHAKE, SIMULATOR_CPU_MESSAGE, CLUSTER_MEMBERS_MAX);

  private static final String RESOURCE = "/holdfast/plan/measured-costs.json";

  private final Map<String, Cost> costs;
  private final String origin;

  private Costs(Map<String, Cost> costs, String origin) {
    this.costs = Map.copyOf(costs);
    this.origin = origin;
  }

  /** The costs measured on this project's machine, as recorded in the jar. */
  public static Costs measuredHere() {
    try (InputStream in = Costs.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      JsonObject j = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return fromCostsJson(j, j.getString("origin", RESOURCE), "$");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * A costs file ({@code {"origin": ..., "costs": [{"key", "value", "unit", "source"}, ...]}}, the
   * same shape as the recorded one and as {@code holdfast plan --json}'s {@code costs}): its keys
   * replace the recorded ones; a key it lacks keeps the recorded cost and says so.
   */
  static Costs fromCostsJson(JsonObject j, String origin, String jsonPath) {
    Object list = j.getValue("costs");
    if (!(list instanceof JsonArray array)) {
      throw new ConfigException(jsonPath + ".costs", "missing or not a list; expected [{\"key\": ..., \"value\": ..., "
          + "\"unit\": ..., \"source\": ...}, ...] with keys among " + KEYS);
    }
    Map<String, Cost> out = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String path = jsonPath + ".costs[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject c)) {
        throw new ConfigException(path, "not an object; expected {\"key\", \"value\", \"unit\", \"source\"}");
      }
      String key = c.getValue("key") instanceof String s ? s : null;
      if (key == null || !KEYS.contains(key)) {
        throw new ConfigException(path + ".key", "\"" + c.getValue("key") + "\" is not a cost the plan knows; use one of " + KEYS);
      }
      if (!(c.getValue("value") instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
        throw new ConfigException(path + ".value", "\"" + c.getValue("value") + "\" is not allowed; use a positive number");
      }
      for (String field : c.fieldNames()) {
        if (!List.of("key", "value", "unit", "source").contains(field)) {
          throw new ConfigException(path + "." + field, "unknown field; a cost has key, value, unit and source");
        }
      }
      out.put(key, new Cost(key, n.doubleValue(), c.getString("unit", ""), c.getString("source", origin)));
    }
    return new Costs(out, origin);
  }

  /**
   * Reads the costs a report holds: a costs file, a {@code bench/lean-node.sh} result (node memory
   * and CPU, from its clustered holdfast row, else its plain one) or a {@code bench/simulator-capacity.sh}
   * result (simulator memory). Each cost found replaces the recorded one; the rest stay as measured
   * here, named as such. A report holding none of them (a simulator run report or a demo report
   * carries the run's counts and latencies, not memory or CPU per connection) is refused.
   */
  public static Costs fromReport(Path file) {
    String name = file.getFileName().toString();
    JsonObject j;
    try {
      j = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("--report", "\"" + file + "\" cannot be read: " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("--report", "\"" + file + "\" is not a JSON object: " + e.getMessage());
    }
    Map<String, Cost> found = new LinkedHashMap<>();
    if (j.containsKey("costs")) {
      found.putAll(fromCostsJson(j, name, "$").costs);
    } else if ("lean-node".equals(j.getString("benchmark")) && j.getValue("servers") instanceof JsonArray servers) {
      JsonObject row = null;
      for (String wanted : List.of("holdfast-clustered", "holdfast")) {
        for (Object o : servers) {
          if (row == null && o instanceof JsonObject s && wanted.equals(s.getString("server"))) {
            row = s;
          }
        }
      }
      if (row != null) {
        nodeCostsFromLeanNode(row, j.getJsonObject("settings", new JsonObject()), name, found);
      }
    } else if ("simulator-capacity".equals(j.getString("benchmark"))) {
      Double total = number(j, "perConnectionBytes", "total");
      if (total != null) {
        found.put(SIMULATOR_BYTES, new Cost(SIMULATOR_BYTES, total, "bytes", name + " perConnectionBytes.total"));
      }
      Double before = number(j, "rssKiB", "before");
      if (before != null) {
        found.put(SIMULATOR_BASE_BYTES, new Cost(SIMULATOR_BASE_BYTES, before * 1024, "bytes", name + " rssKiB.before"));
      }
    }
    if (found.isEmpty()) {
      throw new ConfigException("--report", "\"" + file + "\" holds no measured cost per connection (no memory or CPU"
          + " per connection: a simulator run report or a demo report has counts and latencies only); give a costs file"
          + " (see holdfast plan --json), a bench/results/lean-node-*.json or a bench/results/simulator-capacity-*.json");
    }
    Costs base = measuredHere();
    Map<String, Cost> merged = new LinkedHashMap<>(base.costs);
    merged.putAll(found);
    return new Costs(merged, name + " (costs it lacks: " + base.origin + ")");
  }

  /** Node memory and CPU from one lean-node row: heap at twice the live heap as preflight sizes it. */
  static void nodeCostsFromLeanNode(JsonObject row, JsonObject settings, String name, Map<String, Cost> found) {
    Double live = row.getDouble("liveHeapBytesPerConnection");
    Double other = row.getDouble("rssGrowthOtherBytesPerConnection");
    String server = row.getString("server");
    if (live != null && other != null) {
      found.put(NODE_BYTES, new Cost(NODE_BYTES, 2 * live + other, "bytes", name + " " + server
          + ": 2 x liveHeapBytesPerConnection + rssGrowthOtherBytesPerConnection"));
    }
    Double rssBefore = row.getDouble("rssBeforeMiB");
    if (rssBefore != null) {
      found.put(NODE_BASE_BYTES, new Cost(NODE_BASE_BYTES, rssBefore * 1048576, "bytes", name + " " + server + ": rssBeforeMiB"));
    }
    Double handshake = row.getDouble("serverCpuMsPer1000Handshakes");
    if (handshake != null) {
      found.put(NODE_CPU_HANDSHAKE, new Cost(NODE_CPU_HANDSHAKE, handshake, "microseconds", name + " " + server
          + ": serverCpuMsPer1000Handshakes (ms per 1,000 = µs per handshake)"));
    }
    Double holding = row.getDouble("serverCpuHoldingPercentOfOneCore");
    Double interval = settings.getDouble("intervalSeconds");
    Double connections = settings.getDouble("connections");
    if (holding != null && interval != null && connections != null && connections > 0) {
      double echoesPerSecond = connections / interval;
      found.put(NODE_CPU_ECHO, new Cost(NODE_CPU_ECHO, holding / 100 * 1e6 / echoesPerSecond, "microseconds", name + " "
          + server + ": serverCpuHoldingPercentOfOneCore over settings.connections / settings.intervalSeconds echoes a"
          + " second (all of the node's CPU while holding, so an upper bound)"));
    }
  }

  private static Double number(JsonObject j, String object, String field) {
    return j.getValue(object) instanceof JsonObject o && o.getValue(field) instanceof Number n ? n.doubleValue() : null;
  }

  /** The cost named {@code key}. */
  public Cost get(String key) {
    Cost c = costs.get(key);
    if (c == null) {
      throw new IllegalStateException("no cost " + key + " in " + origin);
    }
    return c;
  }

  /** The value of the cost named {@code key}. */
  public double value(String key) {
    return get(key).value();
  }

  /** Where these costs come from, as the plan names it. */
  public String origin() {
    return origin;
  }

  /** Every cost, in {@link #KEYS} order. */
  public List<Cost> all() {
    List<Cost> out = new ArrayList<>();
    for (String k : KEYS) {
      if (costs.containsKey(k)) {
        out.add(costs.get(k));
      }
    }
    return out;
  }

  /** These costs with {@code cost} in place of the one of its key (a flag over a measurement). */
  public Costs with(Cost cost) {
    Map<String, Cost> m = new LinkedHashMap<>(costs);
    m.put(cost.key(), cost);
    return new Costs(m, origin);
  }

  /** Costs given directly, for tests and for callers that measured their own. */
  public static Costs of(String origin, List<Cost> costs) {
    Map<String, Cost> m = new LinkedHashMap<>();
    costs.forEach(c -> m.put(c.key(), c));
    return new Costs(m, origin);
  }
}
