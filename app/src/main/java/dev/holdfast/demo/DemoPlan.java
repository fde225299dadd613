package dev.holdfast.demo;

import dev.holdfast.os.OpenFileLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a demo is laid out on this machine, before anything starts: how many connections each node
 * and simulator process takes, whether their open-file limit lets them hold that (and if not, how
 * many processes it would take), which source addresses each simulator connects from so that no
 * address runs out of ephemeral ports, the ramp rate that covers the churn, and how often the
 * nodes' {@code /status} is read. Pure: the numbers of the machine come in as arguments.
 *
 * @param nodes echo-node processes
 * @param simulators simulator processes
 * @param connections the population held across the fleet
 * @param perNode connections a node holds, evenly spread (rounded up)
 * @param perSimulator connections a simulator holds (rounded up)
 * @param sourceAddresses per simulator, the 127.0.0.x addresses it connects from
 * @param rampPerSecond handshakes per second fleet-wide: the ramp (bounded by the machine's cores), and at least
 *     three times the churn's reopens
 * @param nodeStatusEverySeconds how often each node's {@code /status} is read
 * @param crowded more than {@link #JVMS_PER_CORE_FULL_JIT} JVMs a core: the simulators run the client
 *     compiler alone, and every process runs one instance (one event loop for its connections)
 */
public record DemoPlan(int nodes, int simulators, long connections, long perNode, long perSimulator,
    List<List<String>> sourceAddresses, double rampPerSecond, int nodeStatusEverySeconds, boolean crowded) {

  /**
   * Open files a demo node keeps back from its sockets (its {@code openFileReserve}; a node's default
   * is 1,000). In a 24-process demo a node had 26-30 descriptors that are not sockets (/proc/PID/fd)
   * beside its client sockets, its listening ports and up to two Hazelcast connections per other
   * member (not counted apart); 500 leaves room for several times that, and lets 11 nodes, not 12,
   * hold 200,000 with the tolerance's headroom (each JVM here costs its JIT, collector and member).
   */
  public static final long NODE_RESERVE = 500;
  /** Open files a simulator keeps back (the simulator's default {@code openFileReserve}). */
  public static final long SIMULATOR_RESERVE = 500;
  /** Of each source address's ephemeral ports, the part used: churn keeps closed sockets in TIME_WAIT a while. */
  static final double PORT_USE = 0.8;
  /** 127.0.0.2 .. 127.0.0.254 (127.0.0.1 is the nodes' address). */
  static final int MAX_SOURCE_ADDRESSES = 253;
  /**
   * One node's {@code /status} read per second is cheap up to this many of its own sockets: its kernel
   * count costs about 3 µs of CPU per own socket (bench/results/kernel-count-2026-12-01-0946.md: 44 ms
   * for 15,000), so 20,000 is about 6% of a core per node.
   */
  static final long STATUS_SOCKETS_PER_SECOND = 20_000;

  /**
   * Hazelcast member ports of the loopback cluster configuration every demo process joins
   * ({@code cluster-config/hazelcast/loopback.xml}: 5701-5740): one per node and simulator process.
   */
  static final int LOOPBACK_MEMBER_PORTS = 40;

  /**
   * Handshakes per second per core the ramp asks for at most. A handshake on loopback costs the
   * machine about 300-350 µs of CPU, node and simulator together (bench/results/churn-*.md: 141-151 µs
   * a cold one on the node, the client's connect and its kernel work as much again): 1,250 a second
   * per core keeps a ramp to about 40% of the machine, so the echoes that start with it stay on time
   * and no handshake waits past its timeout. Asking for more only queues handshakes.
   */
  static final int RAMP_PER_CORE = 1250;

  /**
   * Up to this many JVMs a core the simulators run the JVM's full tiered JIT; past it, the client
   * compiler (C1) alone. Each JVM compiles the same code for itself, and C2's work is paid once per
   * JVM: on 2 cores with 24 JVMs (the open-file limit's doing) the simulators' C2 threads still took
   * 0.32 cores nine minutes in. With C1 alone the 11 simulators of a 200,000 demo used 0.82-0.96
   * cores in the hold against 1.06-1.19 for 12 with tiered. The echo nodes, the system under test,
   * keep the tiered JIT: with C1 alone their event loops took 0.60 cores in the hold against 0.38-0.40.
   */
  static final int JVMS_PER_CORE_FULL_JIT = 4;

  /**
   * Verticle instances of each process in a crowded demo: one event loop for its connections, not
   * one per core. With 22 processes on 2 cores, a second loop per process only adds threads that
   * wake for fewer ready sockets each.
   */
  public static final int CROWDED_INSTANCES = 1;

  /** The machine's figures the plan depends on. */
  public record Machine(long openFileLimit, int ephemeralPorts, int cores) {

    /** This machine: its open-file limit, the size of {@code net.ipv4.ip_local_port_range}, its cores. */
    public static Machine here() {
      int[] range = ephemeralRange();
      return new Machine(OpenFileLimit.max(), range[1] - range[0] + 1, Runtime.getRuntime().availableProcessors());
    }

    /** {@code net.ipv4.ip_local_port_range} as {low, high}, or Linux's default 32768-60999 where it cannot be read. */
    public static int[] ephemeralRange() {
      try {
        String[] r = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
        return new int[] {Integer.parseInt(r[0]), Integer.parseInt(r[1])};
      } catch (IOException | RuntimeException e) {
        return new int[] {32_768, 60_999}; // not Linux: the usual range
      }
    }
  }

  /** A demo this machine's processes cannot hold, with the process counts it would need. */
  public static final class Refused extends Exception {
    private final int nodesNeeded;
    private final int simulatorsNeeded;

    Refused(String message, int nodesNeeded, int simulatorsNeeded) {
      super(message, null, false, false);
      this.nodesNeeded = nodesNeeded;
      this.simulatorsNeeded = simulatorsNeeded;
    }

    public int nodesNeeded() {
      return nodesNeeded;
    }

    public int simulatorsNeeded() {
      return simulatorsNeeded;
    }
  }

  /**
   * Plans a demo, or refuses it.
   *
   * @param tolerance how far above its share a process may go (the simulator's {@code tolerance}): headroom per process
   * @param churnPerSecond reopens per second the churn asks for, fleet-wide
   */
  public static DemoPlan of(int nodes, int simulators, long connections, double tolerance, double churnPerSecond,
      Machine machine) throws Refused {
    if (nodes < 1 || simulators < 1 || connections < 1) {
      throw new IllegalArgumentException("nodes, simulators and connections must be at least 1");
    }
    long nodeRoom = OpenFileLimit.socketsAllowed(machine.openFileLimit(), NODE_RESERVE);
    long simRoom = OpenFileLimit.socketsAllowed(machine.openFileLimit(), SIMULATOR_RESERVE);
    // the held count may stray above a process's share by the tolerance
    long withHeadroom = (long) Math.ceil(connections * (1 + tolerance));
    int nodesNeeded = needed(withHeadroom, nodeRoom);
    int simsNeeded = needed(withHeadroom, simRoom);
    long portsPerAddress = (long) Math.floor(machine.ephemeralPorts() * PORT_USE);
    long perSimulator = ceilDiv(connections, simulators);
    int addressesEach = (int) Math.max(1, ceilDiv(perSimulator, Math.max(1, portsPerAddress)));
    List<String> problems = new ArrayList<>();
    if (nodes < nodesNeeded) {
      problems.add("needs at least " + nodesNeeded + " nodes (each can hold " + nodeRoom + ": open-file limit "
          + machine.openFileLimit() + " less a reserve of " + NODE_RESERVE + "); use --nodes " + nodesNeeded);
    }
    if (simulators < simsNeeded) {
      problems.add("needs at least " + simsNeeded + " simulators (each can hold " + simRoom + ": open-file limit "
          + machine.openFileLimit() + " less a reserve of " + SIMULATOR_RESERVE + "); use --simulators " + simsNeeded);
    }
    if (nodes + simulators > LOOPBACK_MEMBER_PORTS) {
      problems.add(nodes + " nodes and " + simulators + " simulators are " + (nodes + simulators)
          + " cluster members, more than the " + LOOPBACK_MEMBER_PORTS
          + " member ports of the loopback cluster configuration (5701-5740); use fewer processes");
    }
    if ((long) addressesEach * simulators > MAX_SOURCE_ADDRESSES) {
      int enough = (int) ceilDiv(connections, portsPerAddress);
      problems.add("needs " + enough + " source addresses for the ephemeral ports (" + portsPerAddress
          + " each), more than the " + MAX_SOURCE_ADDRESSES + " of 127.0.0.2-254; widen net.ipv4.ip_local_port_range");
    }
    if (!problems.isEmpty()) {
      throw new Refused(String.format(Locale.ROOT, "%,d connections %s", connections, String.join("; and ", problems)),
          Math.max(nodes, nodesNeeded), Math.max(simulators, simsNeeded));
    }
    List<List<String>> addresses = new ArrayList<>();
    for (int s = 0; s < simulators; s++) {
      List<String> mine = new ArrayList<>();
      for (int a = 0; a < addressesEach; a++) {
        mine.add("127.0.0." + (2 + s * addressesEach + a));
      }
      addresses.add(List.copyOf(mine));
    }
    double ramp = rampPerSecond(connections, churnPerSecond, machine.cores());
    // a node's /status answers with its last periodic kernel count (cheap), but its JSON still grows
    // with nothing and costs a request: past 20,000 sockets a node the demo reads it less often
    int statusEvery = (int) Math.max(1, ceilDiv(ceilDiv(connections, nodes), STATUS_SOCKETS_PER_SECOND));
    boolean crowded = nodes + simulators > JVMS_PER_CORE_FULL_JIT * Math.max(1, machine.cores());
    return new DemoPlan(nodes, simulators, connections, ceilDiv(connections, nodes), perSimulator, List.copyOf(addresses),
        ramp, statusEvery, crowded);
  }

  /**
   * Handshakes per second fleet-wide: the population in about 10 s, but at least 1000/s and at most
   * {@link #RAMP_PER_CORE} per core of the machine; and in any case the churn's reopens three times over.
   */
  public static double rampPerSecond(long connections, double churnPerSecond, int cores) {
    double fill = Math.min(Math.ceil(connections / 10.0), (double) RAMP_PER_CORE * Math.max(1, cores));
    return Math.max(Math.max(1000, fill), Math.ceil(3 * churnPerSecond));
  }

  private static int needed(long connections, long room) {
    return room <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, ceilDiv(connections, room));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
