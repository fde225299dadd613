package dev.holdfast.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The kernel's TCP sockets from the text tables {@code /proc/net/tcp} and {@code /proc/net/tcp6}:
 * the fallback {@link SocketTable} where netlink sock_diag cannot be used, and the one place in
 * holdfast that reads those files.
 *
 * <p>Both files list every socket of the network namespace, one line each:
 * {@code sl local_address rem_address st ...}, addresses as hex {@code ADDR:PORT} and the state as
 * a hex number ({@code 01} = ESTABLISHED). Reading them makes the kernel format a line for every TCP
 * socket on the machine, whoever owns it (about 150 bytes each): the cost grows with the machine's
 * sockets, not the caller's. Call it off the event loops, through {@link KernelCounter}.
 */
public final class ProcNetTcp implements SocketTable {

  /** The kernel's number for TCP_ESTABLISHED. */
  public static final int ESTABLISHED = 0x01;

  /** The name this reader reports as its method. */
  public static final String METHOD = "proc-net-tcp";

  private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
  private static final ProcNetTcp INSTANCE = new ProcNetTcp();
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private ProcNetTcp() {
  }

  /** The reader of this machine's tables. */
  public static ProcNetTcp tables() {
    return INSTANCE;
  }

  /** True where the kernel's tables can be read (Linux). */
  public static boolean available() {
    return Files.isReadable(TABLES[0]);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public void scan(int[] localPorts, int[] remotePorts, EstablishedSocket visitor) throws IOException {
    IntPredicate local = anyOf(localPorts);
    IntPredicate remote = anyOf(remotePorts);
    for (Path table : TABLES) {
      if (Files.isReadable(table)) {
        try (InputStream in = ProcFiles.open(table)) {
          scan(in, local, remote, visitor);
        }
      }
    }
  }

  /**
   * Counts ESTABLISHED sockets whose local port matches {@code localPort} and remote port matches
   * {@code remotePort}, over IPv4 and IPv6, distinct by inode; -1 where the tables cannot be read.
   * Every process's sockets count: for this process's own, use {@link KernelSockets}.
   */
  public static long countEstablished(IntPredicate localPort, IntPredicate remotePort) {
    if (!available()) {
      return -1;
    }
    InodeSet seen = new InodeSet();
    for (Path table : TABLES) {
      if (Files.isReadable(table)) {
        try (InputStream in = ProcFiles.open(table)) {
          scan(in, localPort, remotePort, (inode, la, lp, ra, rp) -> seen.add(inode));
        } catch (IOException e) {
          return -1;
        }
      }
    }
    return seen.count();
  }

  /** The server side, every process's: ESTABLISHED sockets whose local port is {@code port}. */
  public static long countEstablishedOnLocalPort(int port) {
    return countEstablished(p -> p == port, p -> true);
  }

  /** Counts the matching ESTABLISHED lines of one table (header line included in {@code in}), distinct by inode. */
  static long countEstablished(InputStream in, IntPredicate localPort, IntPredicate remotePort) throws IOException {
    InodeSet seen = new InodeSet();
    scan(in, localPort, remotePort, (inode, la, lp, ra, rp) -> seen.add(inode));
    return seen.count();
  }

  private static IntPredicate anyOf(int[] ports) {
    if (ports.length == 0) {
      return p -> true;
    }
    int[] sorted = ports.clone();
    Arrays.sort(sorted);
    return p -> Arrays.binarySearch(sorted, p) >= 0;
  }

  /**
   * Visits the matching ESTABLISHED lines of one table. Parses bytes in place, without a String per
   * line: a node holding a million sockets has a table of some 150 MB to scan, and this must not
   * turn into garbage for the collector.
   *
   * <p>The kernel writes these tables a buffer at a time and walks its hash table again from the
   * last position for the next read, so a socket opened or closed between two reads shifts the walk
   * and the same socket can be listed twice (a CI run read 901 sockets where 900 were open): callers
   * count distinct inodes. A socket skipped by a shifted walk cannot be recovered here.
   */
  static void scan(InputStream in, IntPredicate localPort, IntPredicate remotePort, EstablishedSocket visitor)
      throws IOException {
    Line line = new Line();
    byte[] buf = new byte[64 * 1024];
    int len = 0;
    boolean header = true;
    for (int read; (read = in.read(buf, len, buf.length - len)) > 0 || len > 0; ) {
      len += Math.max(read, 0);
      int start = 0;
      for (int nl; (nl = indexOf(buf, (byte) '\n', start, len)) >= 0 || (read <= 0 && start < len); ) {
        int end = nl >= 0 ? nl : len; // the last line may lack its newline
        if (header) {
          header = false;
        } else {
          line.visitIfMatching(buf, start, end, localPort, remotePort, visitor);
        }
        start = end + 1;
      }
      System.arraycopy(buf, Math.min(start, len), buf, 0, len - Math.min(start, len));
      len -= Math.min(start, len);
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
      if (read <= 0) {
        break;
      }
    }
  }

  /** The parse of one line, its address buffers reused from line to line. */
  private static final class Line {
    private final byte[] local = new byte[16];
    private final byte[] remote = new byte[16];

    /** {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...} */
    void visitIfMatching(byte[] b, int from, int to, IntPredicate localPort, IntPredicate remotePort,
        EstablishedSocket visitor) {
      int i = skipToken(b, skipSpaces(b, from, to), to); // sl
      int l = skipSpaces(b, i, to);
      int lEnd = skipToken(b, l, to);
      int r = skipSpaces(b, lEnd, to);
      int rEnd = skipToken(b, r, to);
      int st = skipSpaces(b, rEnd, to);
      if (st + 2 > to || hex(b, st, st + 2) != ESTABLISHED) {
        return;
      }
      int lColon = lastColon(b, l, lEnd);
      int rColon = lastColon(b, r, rEnd);
      int lp = hex(b, lColon + 1, lEnd);
      int rp = hex(b, rColon + 1, rEnd);
      if (!localPort.test(lp) || !remotePort.test(rp)) {
        return;
      }
      address(b, l, lColon, local);
      address(b, r, rColon, remote);
      visitor.visit(inode(b, st, to), local, lp, remote, rp);
    }
  }

  /**
   * An address as the tables write it: each 32-bit word of it in host byte order, in hex (8 digits
   * for IPv4, 32 for IPv6); into {@code out} as 16 bytes in network order, IPv4 IPv4-mapped.
   */
  static void address(byte[] b, int from, int to, byte[] out) {
    int words = (to - from) / 8;
    int at = 0;
    if (words == 1) {
      Arrays.fill(out, 0, 10, (byte) 0);
      out[10] = (byte) 0xFF;
      out[11] = (byte) 0xFF;
      at = 12;
    }
    for (int w = 0; w < words && at + 4 <= 16; w++, at += 4) {
      int word = hex(b, from + w * 8, from + w * 8 + 8);
      for (int k = 0; k < 4; k++) {
        int shift = LITTLE_ENDIAN ? 8 * k : 8 * (3 - k);
        out[at + k] = (byte) (word >>> shift);
      }
    }
  }

  /** The inode column: the 7th field after the state ({@code st tx:rx tr:when retrnsmt uid timeout inode}). */
  private static long inode(byte[] b, int st, int to) {
    int i = st;
    for (int field = 0; field < 6; field++) {
      i = skipSpaces(b, skipToken(b, i, to), to);
    }
    long v = 0;
    for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int lastColon(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == ':') {
        return i;
      }
    }
    return from - 1;
  }

  private static int skipSpaces(byte[] b, int i, int to) {
    while (i < to && b[i] == ' ') {
      i++;
    }
    return i;
  }

  private static int skipToken(byte[] b, int i, int to) {
    while (i < to && b[i] != ' ') {
      i++;
    }
    return i;
  }

  private static int hex(byte[] b, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = (v << 4) | Character.digit(b[i], 16);
    }
    return v;
  }
}
