package dev.holdfast.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * This process's own TCP sockets, found from its open descriptors (every number of its descriptor
 * table, or {@code /proc/self/fd} where the table's size is unknown) and each
 * checked against the kernel's state of it: {@code getsockopt(TCP_INFO)} (the kernel's TCP state),
 * {@code getsockname} and {@code getpeername} (its ends), through JNA's direct mapping. The cost is a
 * few system calls per open file of this process, whatever the machine's other sockets: the path
 * {@link KernelSockets} takes for "this process's own" counts where it works.
 *
 * <p>A descriptor closed between the listing and its calls fails them and is skipped; one reused
 * meanwhile by a new socket is taken as the new socket, as a count a moment later would.
 * A socket {@code dup}ed to two descriptors would count twice (Netty and the JDK never do that).
 */
public final class SocketDescriptors {

  /** The name this reader reports as its method. */
  public static final String METHOD = "socket-fds";

  private static final Logger LOG = Logger.getLogger(SocketDescriptors.class.getName());
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private static final Path OWN_STATUS = Path.of("/proc/self/status");
  private static final int SOL_TCP = 6;
  private static final int TCP_INFO = 11;
  private static final int TCP_ESTABLISHED = 1;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  /** The C library calls used, bound by JNA's direct mapping (a native method each: no reflection per call). */
  static final class LibC {
    static {
      Native.register("c");
    }

    private LibC() {
    }

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    static native int getsockname(int fd, Pointer address, Pointer length);

    static native int getpeername(int fd, Pointer address, Pointer length);
  }

  private SocketDescriptors() {
  }

  /** The reader where JNA's native library loads here (Linux); empty otherwise, with the reason logged. */
  public static Optional<SocketDescriptors> open() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
        || ProcFiles.descriptors(OWN_FDS).isEmpty()) {
      return Optional.empty();
    }
    try {
      LibC.getsockopt(-1, SOL_TCP, TCP_INFO, Pointer.NULL, Pointer.NULL); // binds the natives; fails with EBADF
      return Optional.of(new SocketDescriptors());
    } catch (LinkageError | RuntimeException e) {
      LOG.info("own socket descriptors cannot be queried here, counts go through the kernel's tables: " + e);
      return Optional.empty();
    }
  }

  /**
   * Visits each of this process's ESTABLISHED TCP sockets (IPv4, IPv6) whose local port is one of
   * {@code localPorts} and remote port one of {@code remotePorts} (empty: any), with its descriptor
   * number in place of an inode; false when neither the descriptor table's size nor
   * {@code /proc/self/fd} can be read. Without {@code remoteEnds} and remote ports, the remote end is
   * not asked for (one system call less per socket) and is visited as {@code ::} port 0.
   *
   * <p>It asks every descriptor number below the size of this process's descriptor table
   * ({@code FDSize} in {@code /proc/self/status}: every open descriptor is below it), a closed one
   * failing at once with EBADF, rather than listing {@code /proc/self/fd}: the kernel builds a
   * directory entry per open file for a listing, which cost more than the calls themselves
   * (bench/kernel-count.sh, 15,000 own sockets: 25 ms of CPU a count by number, 44 ms listed).
   * Where the size cannot be read, it lists {@code /proc/self/fd}.
   */
  public boolean scan(int[] localPorts, int[] remotePorts, boolean remoteEnds, EstablishedSocket visitor) {
    int size = tableSize();
    if (size < 0) {
      return scanListed(localPorts, remotePorts, remoteEnds, visitor);
    }
    int[] every = new int[size];
    for (int i = 0; i < size; i++) {
      every[i] = i;
    }
    scan(every, localPorts, remotePorts, remoteEnds, visitor);
    return true;
  }

  /**
   * As {@link #scan(int[], int[], boolean, EstablishedSocket)}, over the descriptors {@code /proc/self/fd}
   * lists (the way before, kept for the fallback and the benchmark's comparison); false when it cannot be listed.
   */
  public boolean scanListed(int[] localPorts, int[] remotePorts, boolean remoteEnds, EstablishedSocket visitor) {
    Optional<int[]> listed = ProcFiles.descriptors(OWN_FDS);
    if (listed.isEmpty()) {
      return false;
    }
    scan(listed.get(), localPorts, remotePorts, remoteEnds, visitor);
    return true;
  }

  /** The size of this process's descriptor table ({@code FDSize}), above every open descriptor; -1 unknown. */
  private static int tableSize() {
    for (String line : ProcFiles.lines(OWN_STATUS).orElse(List.of())) {
      if (line.startsWith("FDSize:")) {
        try {
          return Integer.parseInt(line.substring("FDSize:".length()).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private void scan(int[] descriptors, int[] localPorts, int[] remotePorts, boolean remoteEnds, EstablishedSocket visitor) {
    int[] local = sorted(localPorts);
    int[] remote = sorted(remotePorts);
    byte[] localAddress = new byte[16];
    byte[] remoteAddress = new byte[16];
    try (Memory info = new Memory(8); Memory address = new Memory(28); Memory length = new Memory(4)) {
      for (int fd : descriptors) {
        length.setInt(0, (int) info.size());
        if (LibC.getsockopt(fd, SOL_TCP, TCP_INFO, info, length) != 0 || (info.getByte(0) & 0xFF) != TCP_ESTABLISHED) {
          continue; // not a TCP socket, closed meanwhile, or not ESTABLISHED
        }
        int lp = end(LibC.getsockname(fd, address, reset(length)), address, localAddress);
        if (lp < 0 || !allowed(local, lp)) {
          continue;
        }
        int rp = 0;
        if (remoteEnds || remote.length > 0) {
          rp = end(LibC.getpeername(fd, address, reset(length)), address, remoteAddress);
          if (rp < 0 || !allowed(remote, rp)) {
            continue;
          }
        }
        visitor.visit(fd, localAddress, lp, remoteAddress, rp);
      }
    }
  }

  private static Memory reset(Memory length) {
    length.setInt(0, 28);
    return length;
  }

  /** The port of a sockaddr_in / sockaddr_in6, its address into {@code out} (16 bytes, IPv4-mapped); -1 if neither. */
  private static int end(int result, Memory sockaddr, byte[] out) {
    if (result != 0) {
      return -1;
    }
    int family = sockaddr.getShort(0) & 0xFFFF;
    int port = ((sockaddr.getByte(2) & 0xFF) << 8) | (sockaddr.getByte(3) & 0xFF);
    if (family == AF_INET) {
      Arrays.fill(out, 0, 10, (byte) 0);
      out[10] = (byte) 0xFF;
      out[11] = (byte) 0xFF;
      sockaddr.read(4, out, 12, 4);
    } else if (family == AF_INET6) {
      sockaddr.read(8, out, 0, 16);
    } else {
      return -1;
    }
    return port;
  }

  private static int[] sorted(int[] ports) {
    int[] s = ports.clone();
    Arrays.sort(s);
    return s;
  }

  private static boolean allowed(int[] sortedPorts, int port) {
    return sortedPorts.length == 0 || Arrays.binarySearch(sortedPorts, port) >= 0;
  }
}
