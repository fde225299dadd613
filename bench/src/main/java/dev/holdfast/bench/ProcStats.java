package dev.holdfast.bench;

import dev.holdfast.os.KernelSockets;
import dev.holdfast.os.ProcFiles;
import dev.holdfast.os.SocketFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says about a process and its sockets: CPU time, resident memory and threads from
 * {@code /proc/PID/stat} and {@code /proc/PID/status}, established TCP sockets on a local port
 * from the kernel's socket tables. Every read goes through core's {@code dev.holdfast.os} classes.
 */
final class ProcStats {

  private ProcStats() {
  }

  /** The whole of a /proc file, read through core's {@link ProcFiles} (exact where {@code Files.readString} is not). */
  static String read(String file) throws IOException {
    return ProcFiles.read(Path.of(file));
  }

  /** User plus system CPU of every thread of the process, in clock ticks (see {@link #clockTicksPerSecond}). */
  static long cpuTicks(long pid) throws IOException {
    String stat = read("/proc/" + pid + "/stat");
    // the command name (field 2) may hold spaces; fields are counted after its closing parenthesis
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
  }

  /** CPU time every process on the machine has used (user, nice, system, irq, softirq, steal), in clock ticks. */
  static long machineBusyTicks() throws IOException {
    String[] f = read("/proc/stat").lines().findFirst().orElseThrow().trim().split("\\s+");
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return busy;
  }

  /** Resident set size in KiB. */
  static long rssKb(long pid) throws IOException {
    return statusField(pid, "VmRSS:");
  }

  /** The process's threads, as {@code /proc/PID/status} counts them (every JVM thread, GC and compiler ones too). */
  static long threads(long pid) throws IOException {
    return statusField(pid, "Threads:");
  }

  private static long statusField(long pid, String field) throws IOException {
    for (String line : read("/proc/" + pid + "/status").split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid + "/status");
  }

  /**
   * Resident KiB of the mappings that overlap {@code [from, to)}, from {@code /proc/PID/smaps}: with
   * the Java heap's reserved range, the part of RSS that is heap pages (touched and not returned).
   */
  static long rssInRangeKb(long pid, long from, long to) throws IOException {
    long kb = 0;
    boolean inside = false;
    for (String line : read("/proc/" + pid + "/smaps").split("\n")) {
      int dash = line.indexOf('-');
      int space = line.indexOf(' ');
      if (dash > 0 && space > dash && isHex(line, 0, dash)) {
        long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
        long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
        inside = start < to && end > from;
      } else if (inside && line.startsWith("Rss:")) {
        kb += Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
      }
    }
    return kb;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return to > from;
  }

  /**
   * Established TCP sockets whose local end is {@code host:port} (the server's side of each
   * connection, whichever process holds it), counted by remote IPv4 address, so connections from
   * other processes on a shared machine show apart from the driver's. Read through core's
   * {@link KernelSockets}, as the node reads its own.
   */
  static Map<String, Long> establishedOn(String host, int port) throws IOException {
    byte[] local = SocketFilter.mapped(InetAddress.getByName(host));
    Map<String, Long> byRemote = new TreeMap<>();
    boolean read = KernelSockets.system().visit(SocketFilter.localPorts(port), (inode, la, lp, ra, rp) -> {
      if (Arrays.equals(la, local)) {
        byRemote.merge((ra[12] & 0xFF) + "." + (ra[13] & 0xFF) + "." + (ra[14] & 0xFF) + "." + (ra[15] & 0xFF), 1L,
            Long::sum);
      }
    });
    if (!read) {
      throw new IOException("the kernel's socket tables cannot be read here");
    }
    return byRemote;
  }

  static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100; // what Linux uses on every common architecture
    }
  }

  /** The soft open-file limit of this process (children inherit it). */
  static long openFileLimit() {
    try {
      for (String line : read("/proc/self/limits").split("\n")) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception e) {
      // fall through
    }
    return -1;
  }

  /** How many ephemeral ports one source address has (net.ipv4.ip_local_port_range). */
  static int ephemeralPorts() {
    try {
      String[] r = read("/proc/sys/net/ipv4/ip_local_port_range").trim().split("\\s+");
      return Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
    } catch (Exception e) {
      return 28_232;
    }
  }
}
