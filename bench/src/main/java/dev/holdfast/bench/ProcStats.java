package dev.holdfast.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says about a process and its sockets: CPU time and resident memory from
 * {@code /proc/PID/stat} and {@code /proc/PID/status}, established TCP sockets on a local port
 * from {@code /proc/net/tcp} and {@code tcp6}.
 */
final class ProcStats {

  private static final String ESTABLISHED = "01";

  private ProcStats() {
  }

  /**
   * The whole of a /proc file. Read as a plain stream: {@code Files.readString} trusts the size the
   * file reports and returned one byte of {@code /proc/sys/net/ipv4/ip_local_port_range} on Java 17.
   */
  static String read(String file) throws IOException {
    try (FileInputStream in = new FileInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
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
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
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
   * connection), counted by remote IPv4 address, so connections from other processes on a shared
   * machine show apart from the driver's.
   */
  static Map<String, Long> establishedOn(String host, int port) throws IOException {
    Map<String, Long> byRemote = new TreeMap<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      if (!Files.exists(Path.of(file))) {
        continue;
      }
      for (String line : read(file).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(ESTABLISHED)) {
          continue;
        }
        String local = f[1];
        if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port && ipv4(local).equals(host)) {
          byRemote.merge(ipv4(f[2]), 1L, Long::sum);
        }
      }
    }
    return byRemote;
  }

  /** An address of a /proc/net/tcp* entry as dotted IPv4 (its last 4 bytes; IPv4-mapped in tcp6). */
  private static String ipv4(String hexAddressAndPort) {
    String hex = hexAddressAndPort.substring(0, hexAddressAndPort.lastIndexOf(':'));
    String v4 = hex.substring(hex.length() - 8); // the kernel prints the bytes in host (little-endian) order
    int a = Integer.parseInt(v4.substring(6, 8), 16);
    int b = Integer.parseInt(v4.substring(4, 6), 16);
    int c = Integer.parseInt(v4.substring(2, 4), 16);
    int d = Integer.parseInt(v4.substring(0, 2), 16);
    return a + "." + b + "." + c + "." + d;
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
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
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
