package dev.holdfast.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arithmetic of {@code holdfast plan}: connections one machine can hold under each resource,
 * the smallest of them, and machines = target / that, rounded up. Every resource keeps the same
 * headroom free (for a node failing and its clients reconnecting elsewhere, for GC, for spikes).
 */
public final class FleetPlanner {

  /**
   * Ephemeral ports per source address under Linux's default {@code ip_local_port_range}
   * (32768-60999), as on this machine.
   */
  public static final int DEFAULT_EPHEMERAL_PORTS = 60_999 - 32_768 + 1;

  private final Costs costs;

  public FleetPlanner(Costs costs) {
    this.costs = costs;
  }

  /**
   * Sizes the fleet.
   *
   * @param headroom share of every resource kept free, in [0, 1)
   * @param nodeReserve open files a node keeps from its sockets (JVM, cluster, admin port)
   * @param simulatorReserve the same for a simulator
   * @param sourceAddresses source addresses each simulator connects from
   * @param ephemeralPorts ports per source address
   */
  public Plan plan(Target target, NodeShape nodeShape, NodeShape simulatorShape, double headroom, long nodeReserve,
      long simulatorReserve, int sourceAddresses, int ephemeralPorts) {
    double keep = 1 - headroom;
    double handshakes = target.handshakesPerSecondPerConnection();
    double messages = target.messagesPerSecondPerConnection();

    Map<Resource, Long> node = new EnumMap<>(Resource.class);
    node.put(Resource.MEMORY, byMemory(nodeShape, keep, costs.value(Costs.NODE_BASE_BYTES),
        costs.value(Costs.NODE_BYTES) + costs.value(Costs.KERNEL_BYTES)));
    node.put(Resource.CPU, byCpu(nodeShape, keep, handshakes * costs.value(Costs.NODE_CPU_HANDSHAKE)
        + messages * costs.value(Costs.NODE_CPU_ECHO)));
    node.put(Resource.OPEN_FILES, byOpenFiles(nodeShape, keep, nodeReserve));
    RolePlan nodes = role("node", nodeShape, node, target.connections());

    Map<Resource, Long> sim = new EnumMap<>(Resource.class);
    sim.put(Resource.MEMORY, byMemory(simulatorShape, keep, costs.value(Costs.SIMULATOR_BASE_BYTES),
        costs.value(Costs.SIMULATOR_BYTES) + costs.value(Costs.KERNEL_BYTES)));
    sim.put(Resource.CPU, byCpu(simulatorShape, keep, handshakes * costs.value(Costs.SIMULATOR_CPU_HANDSHAKE)
        + messages * costs.value(Costs.SIMULATOR_CPU_MESSAGE)));
    sim.put(Resource.OPEN_FILES, byOpenFiles(simulatorShape, keep, simulatorReserve));
    sim.put(Resource.EPHEMERAL_PORTS, (long) Math.floor((long) sourceAddresses * ephemeralPorts * keep));
    RolePlan simulators = role("simulator", simulatorShape, sim, target.connections());

    long perCell = (long) costs.value(Costs.CLUSTER_MEMBERS_MAX);
    long nodeCells = ceilDiv(nodes.machines(), perCell);
    long withSims = ceilDiv(nodes.machines() + simulators.machines(), perCell);

    List<String> assumptions = new ArrayList<>();
    assumptions.add(String.format(Locale.ROOT, "target: %,d connections, %.0f%% churn per %s, an echo every %s (flags)",
        target.connections(), target.churnFraction() * 100, human(target.churnPeriod()), human(target.echoInterval())));
    assumptions.add(String.format(Locale.ROOT, "headroom: %.0f%% of every resource kept free on every machine (--headroom)",
        headroom * 100));
    assumptions.add("one node or simulator process per machine, its open-file limit raised to the shape's"
        + " (ops/limits.d, ops/systemd LimitNOFILE; fs.nr_open above it)");
    assumptions.add(String.format(Locale.ROOT, "open files kept from the sockets: node %,d, simulator %,d (openFileReserve defaults)",
        nodeReserve, simulatorReserve));
    assumptions.add(String.format(Locale.ROOT, "each simulator binds %d source address(es) x %,d ephemeral ports"
        + " (--source-addresses, --ephemeral-ports; Linux's default port range 32768-60999 gives %,d)",
        sourceAddresses, ephemeralPorts, DEFAULT_EPHEMERAL_PORTS));
    assumptions.add("handshakes come from churn only: each churned connection reopens once; the first ramp and"
        + " reconnects after a node loss are paid from the headroom");
    assumptions.add("memory: process cost per connection plus the kernel's per socket, above the process's base;"
        + " the per-connection costs were measured at 15,000-18,500 connections per process and are assumed linear");
    assumptions.add("CPU scales with cores: measured on 2 cores, assumed to scale with the event loops of a larger machine");
    assumptions.add(String.format(Locale.ROOT, "cells: at most %,d Hazelcast members per cluster, the largest N the cluster-view"
        + " benchmark kept every view correct at with the design ClusterView runs (cluster.membersMax, from %s); cells"
        + " are federated through Prometheus (docs/scale.md)", perCell,
        costs.get(Costs.CLUSTER_MEMBERS_MAX).source().split(" ")[0]));
    assumptions.add("cells with simulators: the benchmark's publishers were echo nodes; a simulator also reads every"
        + " snapshot of its cell every interval (its fleet's membership), so simulators in a cell add their number times"
        + " the cell's members in reads per interval, not measured at this size");
    return new Plan(target, headroom, costs, nodes, simulators, perCell, nodeCells, withSims,
        target.connections() * handshakes, target.connections() * messages, List.copyOf(assumptions));
  }

  static long byMemory(NodeShape shape, double keep, double baseBytes, double bytesPerConnection) {
    double usable = shape.memoryBytes() * keep - baseBytes;
    return usable <= 0 ? 0 : (long) Math.floor(usable / bytesPerConnection);
  }

  static long byCpu(NodeShape shape, double keep, double microsPerSecondPerConnection) {
    return (long) Math.floor(shape.cores() * keep * 1e6 / microsPerSecondPerConnection);
  }

  static long byOpenFiles(NodeShape shape, double keep, long reserve) {
    return Math.max(0, (long) Math.floor((shape.openFiles() - reserve) * keep));
  }

  private static RolePlan role(String role, NodeShape shape, Map<Resource, Long> capacity, long target) {
    Resource binding = null;
    for (Map.Entry<Resource, Long> e : capacity.entrySet()) {
      if (binding == null || e.getValue() < capacity.get(binding)) {
        binding = e.getKey();
      }
    }
    long per = capacity.get(binding);
    if (per <= 0) {
      throw new IllegalArgumentException(role + ": a " + shape.name() + " machine holds no connection by "
          + binding.label() + " (its base use is above what the headroom leaves); use a larger shape");
    }
    return new RolePlan(role, shape, Map.copyOf(capacity), binding, per, ceilDiv(target, per));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  static String human(java.time.Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return s == 3600 ? "hour" : s / 3600 + " h";
    }
    if (s % 60 == 0) {
      return s == 60 ? "minute" : s / 60 + " min";
    }
    return s + " s";
  }
}
