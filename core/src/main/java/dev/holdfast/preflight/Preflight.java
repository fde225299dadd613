package dev.holdfast.preflight;

import dev.holdfast.preflight.Finding.FixLine;
import dev.holdfast.preflight.Finding.Verdict;
import dev.holdfast.preflight.Finding.Where;
import dev.holdfast.preflight.SocketDemand.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a machine's limits against a number of connections for one process, and says what blocks
 * them with the lines that fix it. Pure: the limits are read elsewhere ({@link MachineLimits}).
 */
public final class Preflight {

  /** The listen backlog the node asks for ({@code SO_BACKLOG}); the kernel silently caps it at somaxconn. */
  public static final long NODE_BACKLOG = 4096;
  /** The widest ephemeral port range: below 1024 are the privileged ports. */
  public static final long WIDEST_PORT_LOW = 1024;
  /** See {@link #WIDEST_PORT_LOW}. */
  public static final long WIDEST_PORT_HIGH = 65535;

  private Preflight() {
  }

  /** Every check, in the order they are printed. */
  public static List<Finding> check(MachineLimits m, SocketDemand d) {
    List<Finding> all = new ArrayList<>();
    all.add(openFiles(m, d));
    all.add(nrOpen(m, d));
    all.add(fileMax(m, d));
    if (d.role() == Role.SIMULATOR) {
      all.add(ephemeralPorts(m, d));
    }
    all.add(somaxconn(m, d));
    all.add(tcpMem(m, d));
    all.add(conntrack(m, d));
    all.add(memory(m, d));
    return all;
  }

  /** True when any finding blocks. */
  public static boolean blocked(List<Finding> findings) {
    return findings.stream().anyMatch(f -> f.verdict() == Verdict.BLOCKS);
  }

  static Finding openFiles(MachineLimits m, SocketDemand d) {
    long need = d.openFilesNeeded();
    String name = "open files per process";
    if (m.openFilesHard() < 0) {
      return unknown(name, "/proc/self/limits");
    }
    String found = "hard limit " + limit(m.openFilesHard()) + " (soft " + limit(m.openFilesSoft())
        + "; the JVM raises its soft limit to the hard one)";
    String needs = "a " + d.role().label() + " holding " + n(d.connections()) + " needs " + n(need) + " ("
        + n(d.connections()) + " sockets + a reserve of " + n(d.openFileReserve()) + ")";
    if (m.openFilesHard() >= need) {
      return ok(name, found + " >= " + n(need));
    }
    return new Finding(name, Verdict.BLOCKS, found + "; " + needs, List.of(
        new FixLine(Where.SHELL, "ulimit -n " + need),
        new FixLine(Where.LIMITS, "*  soft  nofile  " + need),
        new FixLine(Where.LIMITS, "*  hard  nofile  " + need),
        new FixLine(Where.SYSTEMD, "LimitNOFILE=" + need)));
  }

  static Finding nrOpen(MachineLimits m, SocketDemand d) {
    long need = d.openFilesNeeded();
    String name = "fs.nr_open";
    if (m.nrOpen() < 0) {
      return unknown(name, "/proc/sys/fs/nr_open");
    }
    if (m.nrOpen() >= need) {
      return ok(name, n(m.nrOpen()) + " >= " + n(need) + " (no process may have a higher open-file limit)");
    }
    return new Finding(name, Verdict.BLOCKS, n(m.nrOpen()) + " caps every process's open-file limit below the "
        + n(need) + " needed", List.of(sysctl("fs.nr_open", need)));
  }

  static Finding fileMax(MachineLimits m, SocketDemand d) {
    long need = d.openFilesNeeded();
    String name = "fs.file-max";
    if (m.fileMax() < 0) {
      return unknown(name, "/proc/sys/fs/file-max");
    }
    if (m.fileMax() >= need) {
      return ok(name, n(m.fileMax()) + " >= " + n(need) + " (open files of all processes together)");
    }
    // the rest of the machine opens files too: leave it as much again
    return new Finding(name, Verdict.BLOCKS, n(m.fileMax()) + " open files for all processes together, under the "
        + n(need) + " this one needs", List.of(sysctl("fs.file-max", 2 * need)));
  }

  static Finding ephemeralPorts(MachineLimits m, SocketDemand d) {
    String name = "ephemeral ports";
    long range = m.ephemeralPorts();
    if (range < 0) {
      return unknown(name, "/proc/sys/net/ipv4/ip_local_port_range");
    }
    int sources = Math.max(1, d.sourceAddresses());
    long ports = range * sources;
    String found = n(range) + " ports (" + m.portLow() + "-" + m.portHigh() + ") x " + sources
        + " source address(es) = " + n(ports) + " connections to one target (ip:port)";
    if (ports >= d.connections()) {
      return ok(name, found + " >= " + n(d.connections()));
    }
    long widest = WIDEST_PORT_HIGH - WIDEST_PORT_LOW + 1;
    long sourcesNeeded = (d.connections() + widest - 1) / widest;
    List<FixLine> fixes = new ArrayList<>();
    fixes.add(sysctl("net.ipv4.ip_local_port_range", WIDEST_PORT_LOW + " " + WIDEST_PORT_HIGH));
    if (sourcesNeeded > sources) {
      fixes.add(new FixLine(Where.COMMAND, sourceAddressFlags(sourcesNeeded)));
    }
    return new Finding(name, Verdict.BLOCKS, found + " < " + n(d.connections())
        + " (fewer when several targets share the load, as each ip:port has its own ports)", fixes);
  }

  /** The flags for {@code count} source addresses: loopback ones, as the whole of 127.0.0.0/8 is local on Linux. */
  static String sourceAddressFlags(long count) {
    String flags = count <= 3 ? "" : " ... ";
    StringBuilder b = new StringBuilder();
    for (long i = 1; i <= count; i++) {
      if (count <= 3 || i <= 2 || i == count) {
        b.append(i == 1 ? "" : i == count && count > 3 ? flags : " ").append("--source-address 127.0.0.").append(i);
      }
    }
    return b + "   (" + count + " addresses; on a network, addresses of this machine's interfaces)";
  }

  static Finding somaxconn(MachineLimits m, SocketDemand d) {
    String name = "net.core.somaxconn";
    if (m.somaxconn() < 0) {
      return unknown(name, "/proc/sys/net/core/somaxconn");
    }
    if (d.role() == Role.SIMULATOR || m.somaxconn() >= NODE_BACKLOG) {
      return ok(name, n(m.somaxconn()) + (d.role() == Role.NODE ? " >= the node's backlog " + n(NODE_BACKLOG)
          : " (a simulator listens only on its admin port)"));
    }
    return new Finding(name, Verdict.WARN, n(m.somaxconn()) + " caps the node's accept backlog of " + n(NODE_BACKLOG)
        + ": a reconnect storm after a restart overflows it and clients retry after SYN timeouts",
        List.of(sysctl(name, NODE_BACKLOG)));
  }

  static Finding tcpMem(MachineLimits m, SocketDemand d) {
    String name = "net.ipv4.tcp_mem";
    if (m.tcpMemPages().length != 3) {
      return unknown(name, "/proc/sys/net/ipv4/tcp_mem");
    }
    long[] t = m.tcpMemPages();
    // idle sockets take no tcp_mem; a socket with a message queued takes at least a page
    long busy = d.connections() * ConnectionCost.TCP_MEM_PAGES_BUSY;
    String found = "pages " + t[0] + " " + t[1] + " " + t[2] + " (" + mib(t[2] * MachineLimits.PAGE_BYTES)
        + " at most); " + n(d.connections()) + " sockets with a message queued at once take " + n(busy)
        + " pages (" + mib(busy * MachineLimits.PAGE_BYTES) + ")";
    List<FixLine> fix = List.of(sysctl(name, busy + " " + (busy + busy / 2) + " " + 2 * busy));
    if (t[2] < busy) {
      return new Finding(name, Verdict.BLOCKS, found + ": above the maximum the kernel drops their data", fix);
    }
    if (t[1] < busy) {
      return new Finding(name, Verdict.WARN, found + ": above pressure, the kernel shrinks every socket's buffers",
          fix);
    }
    return ok(name, found + ", under pressure (" + n(t[1]) + ")");
  }

  static Finding conntrack(MachineLimits m, SocketDemand d) {
    String name = "net.netfilter.nf_conntrack_max";
    if (m.conntrackMax() < 0) {
      return ok(name, "conntrack is not loaded: connections are not tracked");
    }
    if (m.conntrackMax() >= d.connections()) {
      return ok(name, n(m.conntrackMax()) + " >= " + n(d.connections()) + " tracked connections");
    }
    return new Finding(name, Verdict.BLOCKS, n(m.conntrackMax()) + " tracked connections at most: beyond it the"
        + " kernel drops new connections (\"nf_conntrack: table full\")",
        List.of(sysctl(name, d.connections() + d.connections() / 4)));
  }

  static Finding memory(MachineLimits m, SocketDemand d) {
    String name = "memory";
    if (m.memAvailableKib() < 0) {
      return unknown(name, "/proc/meminfo");
    }
    Role r = d.role();
    long heap = heapBytes(d);
    long offHeap = Math.round(d.connections() * (Math.max(0, r.rssBytes() - r.heapBytes()) + ConnectionCost.KERNEL_BYTES));
    long need = heap + offHeap;
    long available = m.memAvailableKib() * 1024;
    String found = String.format("%s available; %s needs %s: a heap of %s (2 x %.2f KiB live per connection"
            + " + %s) and %s outside it (%.2f KiB process + %.1f KiB kernel per connection)",
        mib(available), "a " + r.label() + " holding " + n(d.connections()), mib(need), mib(heap),
        r.heapBytes() / 1024, mib(ConnectionCost.PROCESS_BASE_BYTES), mib(offHeap),
        Math.max(0, r.rssBytes() - r.heapBytes()) / 1024, ConnectionCost.KERNEL_BYTES / 1024);
    FixLine heapFlag = new FixLine(Where.JVM, "-Xmx" + heapFlag(heap));
    if (need > available) {
      return new Finding(name, Verdict.BLOCKS, found + ": more memory, or fewer connections per machine",
          List.of(heapFlag));
    }
    return new Finding(name, Verdict.OK, found, List.of(heapFlag));
  }

  /** The heap a process needs for {@code d}: twice the live heap of its connections, plus the base. */
  public static long heapBytes(SocketDemand d) {
    return Math.round(2 * d.connections() * d.role().heapBytes()) + ConnectionCost.PROCESS_BASE_BYTES;
  }

  /** {@code -Xmx} value for at least {@code bytes}: whole MiB, or whole GiB from 4 GiB up. */
  static String heapFlag(long bytes) {
    long mib = (bytes + (1 << 20) - 1) >> 20;
    return mib >= 4096 ? ((mib + 1023) / 1024) + "g" : mib + "m";
  }

  /**
   * The report: one line per check, then every fix line grouped by the file it goes into, then
   * the verdict.
   */
  public static String render(MachineLimits m, SocketDemand d, List<Finding> findings) {
    StringBuilder b = new StringBuilder();
    b.append("holdfast preflight: ").append(n(d.connections())).append(" connections for one ").append(d.role().label())
        .append(" process on this machine\n");
    Map<Where, List<String>> byWhere = new LinkedHashMap<>();
    for (Finding f : findings) {
      b.append(String.format("  %-7s %-32s %s%n", f.verdict(), f.name(), f.detail()));
      if (f.verdict() == Verdict.BLOCKS || f.verdict() == Verdict.WARN) {
        for (FixLine l : f.fixes()) {
          byWhere.computeIfAbsent(l.where(), w -> new ArrayList<>()).add(l.line());
        }
      }
    }
    long blocking = findings.stream().filter(f -> f.verdict() == Verdict.BLOCKS).count();
    if (!byWhere.isEmpty()) {
      b.append("\nTo fix (the same keys as ops/):\n");
      for (Map.Entry<Where, List<String>> e : byWhere.entrySet()) {
        b.append("  in ").append(e.getKey().description()).append(":\n");
        for (String line : e.getValue()) {
          b.append("    ").append(line).append('\n');
        }
      }
    }
    b.append('\n').append(blocking == 0 ? "Nothing blocks " + n(d.connections()) + " connections."
        : blocking + " check(s) block " + n(d.connections()) + " connections.").append('\n');
    return b.toString();
  }

  private static FixLine sysctl(String key, Object value) {
    return new FixLine(Where.SYSCTL, key + " = " + value);
  }

  private static Finding ok(String name, String detail) {
    return new Finding(name, Verdict.OK, detail, List.of());
  }

  private static Finding unknown(String name, String file) {
    return new Finding(name, Verdict.UNKNOWN, "not shown by this machine (" + file + ")", List.of());
  }

  private static String limit(long v) {
    return v == Long.MAX_VALUE ? "unlimited" : n(v);
  }

  private static String n(long v) {
    return String.format("%,d", v);
  }

  private static String mib(long bytes) {
    return bytes >= (10L << 30) ? String.format("%.1f GiB", bytes / (double) (1L << 30))
        : String.format("%,d MiB", bytes >> 20);
  }
}
