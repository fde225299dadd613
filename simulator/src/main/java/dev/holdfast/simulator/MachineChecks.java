package dev.holdfast.simulator;

import dev.holdfast.config.ConfigException;
import dev.holdfast.os.ProcFiles;
import dev.holdfast.simulator.config.SimulatorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/** Checks of the config against this machine, made before a run opens any connection. */
final class MachineChecks {

  private static final Logger LOG = Logger.getLogger(MachineChecks.class.getName());
  /** Linux's default ephemeral port range (32768-60999), where the kernel does not say. */
  private static final int USUAL_PORT_RANGE = 28_232;

  private MachineChecks() {
  }

  /** Every source address must be one this machine can bind: a config error on {@code $.sourceAddresses[i]}. */
  static void sourceAddresses(SimulatorConfig config) {
    List<String> sources = config.sourceAddresses();
    for (int i = 0; i < sources.size(); i++) {
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(InetAddress.getByName(sources.get(i)), 0));
      } catch (IOException e) {
        throw new ConfigException("$.sourceAddresses[" + i + "]", "\"" + sources.get(i) + "\" is not an address of this"
            + " machine (bind failed: " + e.getMessage() + "); use local addresses (on Linux all of 127.0.0.0/8 is local)");
      }
    }
  }

  /** Warns when {@code share} exceeds the ephemeral ports: each source address has the kernel's range per destination. */
  static void warnIfPortsShort(SimulatorConfig config, long share, int targets, boolean nativeTransport) {
    long range = ProcFiles.numbers(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
        .filter(r -> r.length == 2).map(r -> r[1] - r[0] + 1).orElse((long) USUAL_PORT_RANGE); // not Linux: the usual
    long addresses = Math.max(1, config.sourceAddresses().size());
    long perAddress = nativeTransport || config.sourceAddresses().isEmpty() ? range * Math.max(1, targets) : range;
    if (share > addresses * perAddress) {
      LOG.warning("share " + share + " exceeds the ephemeral ports of " + addresses + " source address(es) ("
          + perAddress + " each): add sourceAddresses such as 127.0.0.2, 127.0.0.3");
    }
  }
}
