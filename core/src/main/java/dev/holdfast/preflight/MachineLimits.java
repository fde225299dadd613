package dev.holdfast.preflight;

import dev.holdfast.os.ProcFiles;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The limits of this machine that bound how many sockets a process can hold, as read from
 * {@code /proc}. A value the machine does not show (not Linux, no permission, module not loaded)
 * is -1. Read from a root directory, so tests give it a fake {@code /proc}.
 *
 * @param openFilesSoft soft open-file limit of this process ({@code /proc/self/limits})
 * @param openFilesHard hard open-file limit: the JVM raises its soft limit to it at start
 * @param fileMax {@code fs.file-max}: open files of all processes together
 * @param nrOpen {@code fs.nr_open}: the highest open-file limit a process may be given
 * @param portLow first port of {@code net.ipv4.ip_local_port_range}
 * @param portHigh last port of it
 * @param somaxconn {@code net.core.somaxconn}: the kernel's cap on a listen backlog
 * @param tcpMemPages {@code net.ipv4.tcp_mem}: low, pressure and high, in pages; empty when unknown
 * @param conntrackMax {@code net.netfilter.nf_conntrack_max}, -1 when conntrack is not loaded
 * @param memTotalKib {@code MemTotal} of {@code /proc/meminfo}
 * @param memAvailableKib {@code MemAvailable}
 */
public record MachineLimits(long openFilesSoft, long openFilesHard, long fileMax, long nrOpen, long portLow,
    long portHigh, long somaxconn, long[] tcpMemPages, long conntrackMax, long memTotalKib, long memAvailableKib) {

  /** Page size of {@code tcp_mem}: 4 KiB on x86-64 and most arm64 kernels. */
  public static final long PAGE_BYTES = 4096;

  /** This machine's limits. */
  public static MachineLimits ofThisMachine() {
    return read(Path.of("/proc"));
  }

  /** The limits under {@code proc}, a directory laid out like {@code /proc}. */
  public static MachineLimits read(Path proc) {
    long[] nofile = ProcFiles.readIfPresent(proc.resolve("self/limits")).map(MachineLimits::openFiles)
        .orElse(new long[] {-1, -1});
    long[] ports = ProcFiles.numbers(proc.resolve("sys/net/ipv4/ip_local_port_range")).filter(n -> n.length == 2)
        .orElse(new long[] {-1, -1});
    String meminfo = ProcFiles.readIfPresent(proc.resolve("meminfo")).orElse("");
    return new MachineLimits(nofile[0], nofile[1],
        one(proc, "sys/fs/file-max"), one(proc, "sys/fs/nr_open"), ports[0], ports[1],
        one(proc, "sys/net/core/somaxconn"),
        ProcFiles.numbers(proc.resolve("sys/net/ipv4/tcp_mem")).filter(n -> n.length == 3).orElse(new long[0]),
        one(proc, "sys/net/netfilter/nf_conntrack_max"),
        meminfoKib(meminfo, "MemTotal"), meminfoKib(meminfo, "MemAvailable"));
  }

  private static long one(Path proc, String file) {
    return ProcFiles.numbers(proc.resolve(file)).filter(n -> n.length == 1).map(n -> n[0]).orElse(-1L);
  }

  /**
   * Soft and hard of the "Max open files" line of a {@code /proc/PID/limits} text ("unlimited" as
   * {@link Long#MAX_VALUE}), or -1, -1 when there is none.
   */
  static long[] openFiles(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        if (f.length >= 2) {
          return new long[] {limit(f[0]), limit(f[1])};
        }
      }
    }
    return new long[] {-1, -1};
  }

  private static long limit(String value) {
    if (value.equals("unlimited")) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A {@code Key:   123 kB} line of {@code /proc/meminfo}, in KiB, or -1. */
  static long meminfoKib(String meminfo, String key) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith(key + ":")) {
        Optional<String> number = java.util.Arrays.stream(line.substring(key.length() + 1).trim().split("\\s+"))
            .findFirst();
        try {
          return number.map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Ports in the ephemeral range, or -1 when unknown. */
  public long ephemeralPorts() {
    return portLow < 0 ? -1 : portHigh - portLow + 1;
  }
}
