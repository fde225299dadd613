package dev.holdfast.cli;

import dev.holdfast.node.NodeConfig;
import dev.holdfast.preflight.Finding;
import dev.holdfast.preflight.MachineLimits;
import dev.holdfast.preflight.Preflight;
import dev.holdfast.preflight.SocketDemand;
import dev.holdfast.preflight.SocketDemand.Role;
import dev.holdfast.simulator.config.SimulatorConfig;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast preflight}: reads this machine's limits, checks them against one process holding
 * N connections, and prints what blocks them with the lines that fix it (the keys of {@code ops/}).
 */
@Command(name = "preflight", mixinStandardHelpOptions = true,
    description = {"Checks this machine's limits against one process holding N connections:",
        "open files, fs.nr_open, fs.file-max, ephemeral ports, somaxconn, tcp_mem,",
        "conntrack and memory. Prints what blocks them, with the exact sysctl,",
        "limits.d and systemd lines that fix it (the keys of ops/).",
        "Exit codes: 0 nothing blocks, 1 something blocks, 2 bad flags."})
final class PreflightCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--connections", paramLabel = "N", required = true, description = "Connections one process must hold")
  long connections;

  @Option(names = "--role", paramLabel = "node|simulator", description = "The process's role (default node)")
  String role = "node";

  @Option(names = "--source-addresses", paramLabel = "K",
      description = "Source addresses a simulator connects from (default 1); each has its own ephemeral ports")
  int sourceAddresses = 1;

  @Option(names = "--open-file-reserve", paramLabel = "R",
      description = "Open files kept from the sockets, as the role's openFileReserve (default: node 1000, simulator 500)")
  Integer openFileReserve;

  @Override
  public Integer call() {
    if (connections < 1) {
      throw new ParameterException(spec.commandLine(), "--connections: " + connections
          + " is not allowed; use a positive number of connections, such as 100000");
    }
    if (sourceAddresses < 1) {
      throw new ParameterException(spec.commandLine(), "--source-addresses: " + sourceAddresses
          + " is not allowed; use 1 or more");
    }
    Role r;
    try {
      r = Role.valueOf(role.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--role: \"" + role + "\" is not allowed; use node or simulator");
    }
    if (openFileReserve != null && openFileReserve < 0) {
      throw new ParameterException(spec.commandLine(), "--open-file-reserve: " + openFileReserve
          + " is not allowed; use 0 or more");
    }
    int reserve = openFileReserve != null ? openFileReserve
        : r == Role.NODE ? NodeConfig.DEFAULT_OPEN_FILE_RESERVE : SimulatorConfig.DEFAULT_OPEN_FILE_RESERVE;
    SocketDemand demand = new SocketDemand(r, connections, sourceAddresses, reserve);
    MachineLimits limits = MachineLimits.ofThisMachine();
    List<Finding> findings = Preflight.check(limits, demand);
    System.out.print(Preflight.render(limits, demand, findings));
    return Preflight.blocked(findings) ? Holdfast.FAILED : 0;
  }
}
