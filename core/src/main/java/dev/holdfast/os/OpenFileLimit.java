package dev.holdfast.os;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's open-file limit, which bounds how many sockets it can hold: every socket is a file
 * descriptor. The JVM raises its soft limit to the hard limit at start on Linux, so the figure read
 * here is the real ceiling.
 */
public final class OpenFileLimit {

  private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

  private OpenFileLimit() {
  }

  /** The maximum number of open files this process may have, or -1 where the OS does not say. */
  public static long max() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  /**
   * How many files this process has open now, or -1 where the OS does not say. On Linux 6.2 and
   * later the size of {@code /proc/self/fd} is that number, kept by the kernel (a stat, a few
   * microseconds whatever the count); older kernels report 0 there, and the JDK's count lists the
   * directory instead (about 2 µs per descriptor: 40 ms at 19,000). See
   * {@code dashboards/measure/OpenFilesCost.java}.
   */
  public static long open() {
    long fromSize = openBySize();
    if (fromSize > 0) {
      return fromSize;
    }
    return openByListing();
  }

  /** The size of {@code /proc/self/fd}: the open descriptors on Linux 6.2+, 0 on older kernels, -1 without /proc. */
  public static long openBySize() {
    try {
      return Files.size(PROC_SELF_FD);
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** The JDK's count: a listing of {@code /proc/self/fd} on Linux, -1 where the OS does not say. */
  public static long openByListing() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
  }

  /**
   * How many sockets a process with this limit can hold, keeping {@code reserve} descriptors for
   * the JVM's own files, the cluster's sockets and the admin port.
   */
  public static long socketsAllowed(long maxOpenFiles, long reserve) {
    return maxOpenFiles < 0 ? Long.MAX_VALUE : Math.max(0, maxOpenFiles - reserve);
  }
}
