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
 * <p>It reads through netlink sock_diag ({@link NetlinkSockDiag}: cost grows with the sockets that
 * match the ports, not with the machine's) where the kernel allows it, and through
 * {@code /proc/net/tcp*} ({@link ProcNetTcp}) where it does not; {@link #method()} says which. A
 * netlink scan that fails later switches this reader to the fallback for good, logged once.
 * {@code -Dholdfast.os.netlink=false} forces the fallback.
 *
 * <p>"This process's own" sockets ({@link SocketFilter#ownedByThisProcess()}) are those whose inode
 * is among {@code /proc/self/fd}'s links: a cost of one readlink per open file of the process.
 * Every call is blocking: run counts on {@link KernelCounter}'s thread, never on an event loop.
 */
public final class KernelSockets {

  /** The system property that, set to {@code false}, keeps counts off netlink. */
  public static final String NETLINK_PROPERTY = "holdfast.os.netlink";

  private static final Logger LOG = Logger.getLogger(KernelSockets.class.getName());
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private static volatile KernelSockets system;

  private final SocketTable fallback;
  private volatile SocketTable table;

  private KernelSockets(SocketTable table, SocketTable fallback) {
    this.table = table;
    this.fallback = fallback;
  }

  /** This process's reader: netlink if it works here and is not switched off, else /proc/net/tcp*. */
  public static KernelSockets system() {
    KernelSockets s = system;
    if (s == null) {
      synchronized (KernelSockets.class) {
        if (system == null) {
          system = create(!"false".equalsIgnoreCase(System.getProperty(NETLINK_PROPERTY)));
        }
        s = system;
      }
    }
    return s;
  }

  /** A new reader: netlink when {@code netlink} is true and it works here, else /proc/net/tcp*. */
  public static KernelSockets create(boolean netlink) {
    Optional<NetlinkSockDiag> diag = netlink ? NetlinkSockDiag.open() : Optional.empty();
    return new KernelSockets(diag.<SocketTable>map(d -> d).orElse(ProcNetTcp.tables()), ProcNetTcp.tables());
  }

  /** A reader of exactly {@code table}, never switching to another (for side-by-side comparisons). */
  public static KernelSockets of(SocketTable table) {
    return new KernelSockets(table, null);
  }

  /** A reader of {@code table} that switches to {@code fallback} when a scan of it fails. */
  static KernelSockets withFallback(SocketTable table, SocketTable fallback) {
    return new KernelSockets(table, fallback);
  }

  /** How counts are read now: {@code netlink} or {@code proc-net-tcp}. */
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
   * Visits every ESTABLISHED socket that passes {@code filter}'s ports and remote ends, each inode
   * once (sockets of inode 0, in an accept queue, each time they are listed); ownership is not
   * checked here. False when the kernel's tables cannot be read.
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
