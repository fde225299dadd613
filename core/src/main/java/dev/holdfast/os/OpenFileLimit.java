package dev.holdfast.os;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-file limit, which bounds how many sockets it can hold: every socket is a file
 * descriptor. The JVM raises its soft limit to the hard limit at start on Linux, so the figure read
 * here is the real ceiling.
 */
public final class OpenFileLimit {

  private OpenFileLimit() {
  }

  /** The maximum number of open files this process may have, or -1 where the OS does not say. */
  public static long max() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  /** How many files this process has open now, or -1 where the OS does not say. */
  public static long open() {
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
