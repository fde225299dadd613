package dev.holdfast.os;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Counts ESTABLISHED TCP sockets as the Linux kernel sees them, IPv4 and IPv6, distinct by inode: the
 * independent witness against which holdfast checks its own counts. The one reader of the kernel's
 * socket tables in holdfast; every count goes through here.
 *
 * <p>Which way it reads, chosen by measurement ({@code bench/kernel-count.sh}; {@link #method(SocketFilter)}
 * says which counted):
 * <ul>
 *   <li>{@code socket-fds}, for this process's own sockets ({@link SocketFilter#ownedByThisProcess()}):
 *       its descriptors, each asked for its TCP state and ends ({@link SocketDescriptors}). Costs a few
 *       system calls per open file of the process, nothing per socket of the rest of the machine.</li>
 *   <li>{@code netlink}, for every process's sockets on given ports: netlink sock_diag
 *       ({@link NetlinkSockDiag}), state and ports filtered in the kernel. The kernel still walks its
 *       socket hash, but writes only the matches; an own-only count here keeps the sockets whose inode
 *       is among {@code /proc/self/fd}'s links.</li>
 *   <li>{@code proc-net-tcp}, where neither works (netlink refused, no JNA native): {@code /proc/net/tcp*}
 *       ({@link ProcNetTcp}), a text line formatted and parsed for every TCP socket of the machine.</li>
 * </ul>
 * A netlink scan that fails later switches this reader to {@code /proc/net/tcp*} for good, logged once.
 * {@code -Dholdfast.os.fastPath=false} forces {@code /proc/net/tcp*} for every count. Every call
 * blocks: run counts on {@link KernelCounter}'s thread, never on an event loop.
 */
public final class KernelSockets {

  /** The system property that, set to {@code false}, makes every count read {@code /proc/net/tcp*}. */
  public static final String FAST_PATH_PROPERTY = "holdfast.os.fastPath";

  private static final Logger LOG = Logger.getLogger(KernelSockets.class.getName());
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private static volatile KernelSockets system;

  private final SocketTable fallback;
  private final SocketDescriptors descriptors;
  private volatile SocketTable table;

  private KernelSockets(SocketTable table, SocketTable fallback, SocketDescriptors descriptors) {
    this.table = table;
    this.fallback = fallback;
    this.descriptors = descriptors;
  }

  /** This process's reader: the fast paths where they work and are not switched off, else /proc/net/tcp*. */
  public static KernelSockets system() {
    KernelSockets s = system;
    if (s == null) {
      synchronized (KernelSockets.class) {
        if (system == null) {
          system = create(!"false".equalsIgnoreCase(System.getProperty(FAST_PATH_PROPERTY)));
        }
        s = system;
      }
    }
    return s;
  }

  /** A new reader: with {@code fastPath}, descriptors and netlink where they work; else only /proc/net/tcp*. */
  public static KernelSockets create(boolean fastPath) {
    Optional<NetlinkSockDiag> diag = fastPath ? NetlinkSockDiag.open() : Optional.empty();
    SocketDescriptors fds = fastPath ? SocketDescriptors.open().orElse(null) : null;
    return new KernelSockets(diag.<SocketTable>map(d -> d).orElse(ProcNetTcp.tables()), ProcNetTcp.tables(), fds);
  }

  /** A reader of exactly {@code table}, never switching to another (for side-by-side comparisons). */
  public static KernelSockets of(SocketTable table) {
    return new KernelSockets(table, null, null);
  }

  /** A reader of this process's descriptors for own-only counts, {@code table} for the rest (comparisons). */
  public static KernelSockets of(SocketDescriptors descriptors, SocketTable table) {
    return new KernelSockets(table, null, descriptors);
  }

  /** A reader of {@code table} that switches to {@code fallback} when a scan of it fails. */
  static KernelSockets withFallback(SocketTable table, SocketTable fallback) {
    return new KernelSockets(table, fallback, null);
  }

  /** How a count of {@code filter} is read now: {@code socket-fds}, {@code netlink} or {@code proc-net-tcp}. */
  public String method(SocketFilter filter) {
    return filter.ownOnly() && descriptors != null ? SocketDescriptors.METHOD : table.method();
  }

  /** How the kernel's tables are read now (counts of every process's sockets): {@code netlink} or {@code proc-net-tcp}. */
  public String method() {
    return table.method();
  }

  /** True where the kernel's sockets can be counted at all (Linux). */
  public boolean available() {
    return table != ProcNetTcp.tables() || ProcNetTcp.available();
  }

  /**
   * The ESTABLISHED sockets that pass {@code filter}, distinct by inode; -1 where the kernel's
   * tables cannot be read. Own-only counts where {@code /proc/self/fd} cannot be read count the
   * filter's sockets of every process, as the kernel lists them.
   */
  public long count(SocketFilter filter) {
    if (filter.ownOnly() && descriptors != null) {
      long[] n = {0};
      boolean remoteEnds = !filter.remoteEndpoints().isEmpty();
      if (descriptors.scan(filter.localPorts(), filter.remotePorts(), remoteEnds, (fd, la, lp, ra, rp) -> {
        if (filter.remoteMatches(ra, rp)) {
          n[0]++;
        }
      })) {
        return n[0];
      }
    }
    if (!available()) {
      return -1;
    }
    InodeSet seen = new InodeSet();
    if (!visit(filter, (inode, la, lp, ra, rp) -> seen.add(inode))) {
      return -1;
    }
    if (!filter.ownOnly()) {
      return seen.count();
    }
    return ProcFiles.socketInodes(OWN_FDS).map(seen::countOf).orElse(seen.count());
  }

  /**
   * Visits every ESTABLISHED socket of the kernel's tables that passes {@code filter}'s ports and
   * remote ends, each inode once (sockets of inode 0, in an accept queue, each time they are listed);
   * ownership is not checked here. False when the kernel's tables cannot be read.
   */
  public boolean visit(SocketFilter filter, EstablishedSocket visitor) {
    InodeSet once = new InodeSet();
    EstablishedSocket distinct = (inode, la, lp, ra, rp) -> {
      if (filter.remoteMatches(ra, rp) && (inode == 0 || !once.contains(inode))) {
        once.add(inode);
        visitor.visit(inode, la, lp, ra, rp);
      }
    };
    for (SocketTable t = table; ; t = table) {
      try {
        t.scan(filter.localPorts(), filter.remotePorts(), distinct);
        return true;
      } catch (IOException e) {
        if (fallback == null || t == fallback) {
          return false;
        }
        LOG.warning("counting the kernel's sockets through " + t.method() + " failed (" + e.getMessage()
            + "); reading " + fallback.method() + " from now on");
        table = fallback; // then scan again: `distinct` drops what the failed scan already passed on
      }
    }
  }
}
