package dev.holdfast.simulator.kernel;

import dev.holdfast.os.KernelCounter;
import dev.holdfast.os.KernelSockets;
import dev.holdfast.os.SocketFilter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The kernel's count of this process's established TCP connections to the targets: the
 * independent witness beside the simulator's own count.
 *
 * <p>Matching by port alone is not enough on a shared host: on loopback every server's sockets
 * appear too, and any other process's socket may happen to have a target's port number at one
 * end. So a socket counts only when the kernel lists it ESTABLISHED with a target's address and
 * port as its remote end, and its inode is one of this process's open files ({@code /proc/self/fd}).
 * The kernel is read through {@link KernelSockets}: this process's descriptors and their TCP state,
 * or {@code /proc/net/tcp*} where that cannot be had ({@link #method()}).
 * Blocking: run it on {@link #counter(LongSupplier)}'s thread, never on an event loop.
 */
public final class OwnSocketCount {

  /** How long a count may take before it is reported missing (-1). */
  public static final Duration DEADLINE = KernelCounter.DEFAULT_DEADLINE;

  private final KernelSockets sockets;
  private final SocketFilter filter;

  /** Counts connections whose remote end is one of {@code targets} (unresolved ones cannot match). */
  public OwnSocketCount(Collection<InetSocketAddress> targets) {
    this(targets, KernelSockets.system());
  }

  OwnSocketCount(Collection<InetSocketAddress> targets, KernelSockets sockets) {
    this.sockets = sockets;
    this.filter = SocketFilter.remoteEndpoints(targets).ownedByThisProcess();
  }

  /**
   * Runs {@code count} (typically {@code new OwnSocketCount(targets).count()} with the current
   * targets) on the process's kernel-count thread, each count given {@link #DEADLINE}.
   */
  public static KernelCounter counter(LongSupplier count) {
    return new KernelCounter(count, () -> KernelSockets.system().method(SocketFilter.remoteEndpoints(List.of()).ownedByThisProcess()),
        DEADLINE);
  }

  /** The count now, or -1 where the kernel's tables cannot be read (not Linux). */
  public long count() {
    return sockets.count(filter);
  }

  /** How the count is read: {@code socket-fds}, {@code netlink} or {@code proc-net-tcp}. */
  public String method() {
    return sockets.method(filter);
  }
}
