package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.Durations;
import dev.holdfast.node.NodeConfig;
import dev.holdfast.plan.Cost;
import dev.holdfast.plan.Costs;
import dev.holdfast.plan.FleetPlanner;
import dev.holdfast.plan.NodeShape;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanReport;
import dev.holdfast.plan.Target;
import dev.holdfast.simulator.config.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast plan}: how many echo nodes, simulator nodes and Hazelcast cells a target
 * population needs, which resource binds each, and every cost and assumption with its source.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Sizes a fleet for a target population, churn and echo interval from",
        "measured costs: echo nodes, simulator nodes, Hazelcast clusters (cells),",
        "what binds each, and every assumption with its source. Costs: --report FILE,",
        "else those measured on this project's machine (bench/results, ops/measure).",
        "Exit 2 on bad flags."})
final class PlanCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Costs from a costs file (the shape of --json's costs), a bench/results/lean-node-*.json or"
          + " simulator-capacity-*.json; costs it lacks stay as measured here")
  Path report;

  @Option(names = "--connections", paramLabel = "N", description = "Connections held at once (default 400000000)")
  long connections = Target.DEFAULT.connections();

  @Option(names = "--churn", paramLabel = "F", description = "Share closed and reopened per churn period (default 0.2)")
  double churn = Target.DEFAULT.churnFraction();

  @Option(names = "--churn-period", paramLabel = "DURATION", description = "Period of the churn (default 1h)")
  String churnPeriod = "1h";

  @Option(names = "--interval", paramLabel = "DURATION", description = "A message and its echo per connection this often (default 20s)")
  String interval = "20s";

  @Option(names = "--headroom", paramLabel = "H", description = "Share of every resource kept free (default 0.3)")
  double headroom = 0.3;

  @Option(names = "--shape", paramLabel = "16x64|64x256", description = "Machine of the echo nodes (default 16x64)")
  String shape = "16x64";

  @Option(names = "--cores", paramLabel = "C", description = "vCPUs of an echo node, over the shape's")
  Integer cores;

  @Option(names = "--memory-gib", paramLabel = "G", description = "GiB of RAM of an echo node, over the shape's")
  Double memoryGiB;

  @Option(names = "--open-files", paramLabel = "L", description = "Open-file limit of an echo node, over the shape's (preset 4194304, as ops/)")
  Long openFiles;

  @Option(names = "--simulator-shape", paramLabel = "16x64|64x256", description = "Machine of the simulators (default: the nodes' shape)")
  String simulatorShape;

  @Option(names = "--simulator-cores", paramLabel = "C", description = "vCPUs of a simulator, over its shape's")
  Integer simulatorCores;

  @Option(names = "--simulator-memory-gib", paramLabel = "G", description = "GiB of RAM of a simulator, over its shape's")
  Double simulatorMemoryGiB;

  @Option(names = "--simulator-open-files", paramLabel = "L", description = "Open-file limit of a simulator, over its shape's")
  Long simulatorOpenFiles;

  @Option(names = "--source-addresses", paramLabel = "K", description = "Source addresses per simulator (default 16)")
  int sourceAddresses = 16;

  @Option(names = "--ephemeral-ports", paramLabel = "P",
      description = "Ephemeral ports per source address (default 28232: Linux's 32768-60999)")
  int ephemeralPorts = FleetPlanner.DEFAULT_EPHEMERAL_PORTS;

  @Option(names = "--cell-members", paramLabel = "N",
      description = "Echo nodes per Hazelcast cluster (cell), over the benchmark's recorded limit")
  Long cellMembers;

  @Option(names = "--json", description = "Print the plan as JSON")
  boolean json;

  @Override
  public Integer call() {
    if (connections < 1) {
      throw bad("--connections", Long.toString(connections), "a positive number, such as 400000000");
    }
    if (!(churn >= 0 && churn <= 1)) {
      throw bad("--churn", Double.toString(churn), "a fraction from 0 to 1 per churn period, such as 0.2 for 20%");
    }
    if (!(headroom >= 0 && headroom < 0.95)) {
      throw bad("--headroom", Double.toString(headroom), "a fraction from 0 to 0.95, such as 0.3 for 30%");
    }
    if (sourceAddresses < 1) {
      throw bad("--source-addresses", Integer.toString(sourceAddresses), "1 or more");
    }
    if (ephemeralPorts < 1 || ephemeralPorts > 65_535) {
      throw bad("--ephemeral-ports", Integer.toString(ephemeralPorts), "1 to 65535");
    }
    Duration period = duration("--churn-period", churnPeriod);
    Duration every = duration("--interval", interval);
    NodeShape nodeShape = shape("--shape", shape).with(positive("--cores", cores), positive("--memory-gib", memoryGiB),
        positive("--open-files", openFiles));
    NodeShape simShape = shape("--simulator-shape", simulatorShape == null ? shape : simulatorShape)
        .with(positive("--simulator-cores", simulatorCores), positive("--simulator-memory-gib", simulatorMemoryGiB),
            positive("--simulator-open-files", simulatorOpenFiles));
    Costs costs;
    try {
      costs = report == null ? Costs.measuredHere() : Costs.fromReport(report);
    } catch (ConfigException e) {
      return Cli.configError("plan", e);
    }
    if (cellMembers != null) {
      positive("--cell-members", cellMembers);
      costs = costs.with(new Cost(Costs.CLUSTER_MEMBERS_MAX, cellMembers, "members", "--cell-members"));
    }
    Plan plan;
    try {
      plan = new FleetPlanner(costs).plan(new Target(connections, churn, period, every), nodeShape, simShape, headroom,
          NodeConfig.DEFAULT_OPEN_FILE_RESERVE, SimulatorConfig.DEFAULT_OPEN_FILE_RESERVE, sourceAddresses, ephemeralPorts);
    } catch (IllegalArgumentException e) {
      System.err.println("holdfast plan: " + e.getMessage());
      return Holdfast.USAGE;
    }
    System.out.print(json ? PlanReport.json(plan).encodePrettily() + System.lineSeparator() : PlanReport.text(plan));
    return 0;
  }

  private NodeShape shape(String flag, String name) {
    NodeShape s = NodeShape.preset(name);
    if (s == null) {
      throw bad(flag, name, "one of " + NodeShape.PRESETS + " (then --cores, --memory-gib, --open-files to change it)");
    }
    return s;
  }

  private Duration duration(String flag, String text) {
    Duration d = Durations.parseOrNull(text);
    if (d == null || d.isZero() || d.isNegative()) {
      throw bad(flag, text, "a positive duration such as 20s, 5m or 1h");
    }
    return d;
  }

  private <T extends Number> T positive(String flag, T value) {
    if (value != null && !(value.doubleValue() > 0)) {
      throw bad(flag, value.toString(), "a positive number");
    }
    return value;
  }

  private ParameterException bad(String flag, String value, String allowed) {
    return new ParameterException(spec.commandLine(), flag + ": \"" + value + "\" is not allowed; use " + allowed);
  }
}
