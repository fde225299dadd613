package dev.holdfast.plan;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/** A {@link Plan} as {@code holdfast plan} prints it: text for people, JSON for scripts. */
public final class PlanReport {

  private PlanReport() {
  }

  /** The plan as text: machines per role and what binds them, cells, then every cost and assumption. */
  public static String text(Plan p) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "holdfast plan: %,d connections, %.0f%% churn per %s, an echo every %s, %.0f%% headroom%n",
        p.target().connections(), p.target().churnFraction() * 100, FleetPlanner.human(p.target().churnPeriod()),
        FleetPlanner.human(p.target().echoInterval()), p.headroom() * 100));
    b.append("costs from: ").append(p.costs().origin()).append(System.lineSeparator());
    b.append(String.format(Locale.ROOT, "fleet load: %,.0f handshakes/s from churn, %,.0f messages/s echoed%n%n",
        p.handshakesPerSecond(), p.messagesPerSecond()));
    role(b, "echo nodes", p.nodes());
    role(b, "simulator nodes", p.simulators());
    b.append(String.format(Locale.ROOT, "cells:           %,d Hazelcast clusters of at most %,d members for the echo nodes;"
            + " %,d with the simulators as members of their nodes' cells%n%n", p.nodeCells(), p.membersPerCell(), p.cellsWithSimulators()));
    b.append("costs:").append(System.lineSeparator());
    for (Cost c : p.costs().all()) {
      b.append(String.format(Locale.ROOT, "  %-34s %,14.1f %-13s %s%n", c.key(), c.value(), c.unit(), c.source()));
    }
    b.append("assumptions:").append(System.lineSeparator());
    for (String a : p.assumptions()) {
      b.append("  - ").append(a).append(System.lineSeparator());
    }
    return b.toString();
  }

  private static void role(StringBuilder b, String title, RolePlan r) {
    b.append(String.format(Locale.ROOT, "%-16s %,d machines of %s, %,d open files, %,d connections each; binds: %s%n",
        title + ":", r.machines(), r.shape().name(), r.shape().openFiles(), r.perMachine(), r.binding().label()));
    for (Map.Entry<Resource, Long> e : new java.util.TreeMap<>(r.capacity()).entrySet()) {
      b.append(String.format(Locale.ROOT, "    by %-16s %,14d per machine%s%n", e.getKey().label(), e.getValue(),
          e.getKey() == r.binding() ? "  <- binds" : ""));
    }
  }

  /** The plan as JSON, with the same numbers, costs and assumptions as {@link #text}. */
  public static JsonObject json(Plan p) {
    JsonArray costs = new JsonArray();
    p.costs().all().forEach(c -> costs.add(c.toJson()));
    return new JsonObject()
        .put("target", new JsonObject().put("connections", p.target().connections())
            .put("churnFraction", p.target().churnFraction())
            .put("churnPeriodSeconds", p.target().churnPeriod().toSeconds())
            .put("echoIntervalSeconds", p.target().echoInterval().toMillis() / 1000.0))
        .put("headroom", p.headroom())
        .put("handshakesPerSecond", p.handshakesPerSecond())
        .put("messagesPerSecond", p.messagesPerSecond())
        .put("nodes", role(p.nodes()))
        .put("simulators", role(p.simulators()))
        .put("cells", new JsonObject().put("membersPerCellMax", p.membersPerCell()).put("nodeCells", p.nodeCells())
            .put("cellsWithSimulators", p.cellsWithSimulators()))
        .put("origin", p.costs().origin())
        .put("costs", costs)
        .put("assumptions", new JsonArray(p.assumptions()));
  }

  private static JsonObject role(RolePlan r) {
    JsonObject cap = new JsonObject();
    new java.util.TreeMap<>(r.capacity()).forEach((k, v) -> cap.put(k.name().toLowerCase(Locale.ROOT), v));
    return new JsonObject().put("machines", r.machines()).put("connectionsPerMachine", r.perMachine())
        .put("binding", r.binding().name().toLowerCase(Locale.ROOT))
        .put("shape", new JsonObject().put("name", r.shape().name()).put("cores", r.shape().cores())
            .put("memoryBytes", r.shape().memoryBytes()).put("openFiles", r.shape().openFiles()))
        .put("capacityPerMachine", cap);
  }
}
