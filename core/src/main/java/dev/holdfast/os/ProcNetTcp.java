package dev.holdfast.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * Counts TCP sockets as the Linux kernel sees them, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}: the independent witness against which holdfast checks its own counts.
 *
 * <p>Both files list every socket of the network namespace, one line each:
 * {@code sl local_address rem_address st ...}, addresses as hex {@code ADDR:PORT} and the state as
 * a hex number ({@code 01} = ESTABLISHED). Reading them walks the kernel's socket tables, so call
 * this off the event loops, at most every second or so.
 */
public final class ProcNetTcp {

  /** The kernel's number for TCP_ESTABLISHED. */
  public static final int ESTABLISHED = 0x01;

  private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

  private ProcNetTcp() {
  }

  /** True where the kernel's tables can be read (Linux). */
  public static boolean available() {
    return Files.isReadable(TABLES[0]);
  }

  /**
   * Counts ESTABLISHED sockets whose local port matches {@code localPort} and remote port matches
   * {@code remotePort}, over IPv4 and IPv6; -1 where the tables cannot be read.
   */
  public static long countEstablished(IntPredicate localPort, IntPredicate remotePort) {
    if (!available()) {
      return -1;
    }
    Distinct seen = new Distinct();
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try (InputStream in = Files.newInputStream(table)) {
        scan(in, localPort, remotePort, seen);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + table, e);
      }
    }
    return seen.count();
  }

  /** The server side: ESTABLISHED sockets whose local port is {@code port}. */
  public static long countEstablishedOnLocalPort(int port) {
    return countEstablished(p -> p == port, p -> true);
  }

  /**
   * Counts the matching ESTABLISHED lines of one table (header line included in {@code in}).
   * Parses bytes in place, without a String per line: a node holding a million sockets has a
   * table of some 150 MB to scan, and this must not turn into garbage for the collector.
   */
  static long countEstablished(InputStream in, IntPredicate localPort, IntPredicate remotePort) throws IOException {
    Distinct seen = new Distinct();
    scan(in, localPort, remotePort, seen);
    return seen.count();
  }

  /**
   * Adds the matching ESTABLISHED lines of one table to {@code seen}, by inode.
   *
   * <p>Why by inode: the kernel writes these tables a buffer at a time and walks its hash table
   * again from the last position for the next read, so a socket opened or closed between two
   * reads shifts the walk and the same socket can be listed twice (the likely cause of a CI run
   * that read 901 sockets where 900 were open). A socket's inode is unique, so counting distinct inodes removes the double. Lines
   * with inode 0 (accepted by the kernel, not yet by the process) are counted as they come. A
   * socket skipped by a shifted walk cannot be recovered here; netlink sock_diag can.
   */
  private static void scan(InputStream in, IntPredicate localPort, IntPredicate remotePort, Distinct seen)
      throws IOException {
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
        } else if (established(buf, start, end, localPort, remotePort)) {
          seen.add(inode(buf, start, end));
        }
        start = end + 1;
      }
      System.arraycopy(buf, Math.min(start, len), buf, 0, len - Math.min(start, len));
      len -= Math.min(start, len);
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
      if (read <= 0) {
        break;
      }
    }
  }

  /** The inode column: the 10th field ({@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode}). */
  private static long inode(byte[] b, int from, int to) {
    int i = from;
    for (int field = 0; field < 9; field++) {
      i = skipToken(b, skipSpaces(b, i, to), to);
    }
    i = skipSpaces(b, i, to);
    long v = 0;
    for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** One line: {@code sl local_address rem_address st ...}, addresses as hex ADDR:PORT. */
  private static boolean established(byte[] b, int from, int to, IntPredicate localPort, IntPredicate remotePort) {
    int i = skipSpaces(b, from, to);
    i = skipToken(b, i, to);              // sl
    int local = skipSpaces(b, i, to);
    int localEnd = skipToken(b, local, to);
    int remote = skipSpaces(b, localEnd, to);
    int remoteEnd = skipToken(b, remote, to);
    int st = skipSpaces(b, remoteEnd, to);
    if (st + 2 > to || hex(b, st, st + 2) != ESTABLISHED) {
      return false;
    }
    return localPort.test(hex(b, lastColon(b, local, localEnd) + 1, localEnd))
        && remotePort.test(hex(b, lastColon(b, remote, remoteEnd) + 1, remoteEnd));
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

  /** Distinct non-zero inodes (open addressing over a long[]), plus a plain count of inode-0 lines. */
  private static final class Distinct {
    private long[] table = new long[1024];
    private int size;
    private long zeros;

    void add(long inode) {
      if (inode == 0) {
        zeros++;
        return;
      }
      if (size * 2 >= table.length) {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long v : old) {
          if (v != 0) {
            insert(v);
          }
        }
      }
      insert(inode);
    }

    private void insert(long v) {
      int mask = table.length - 1;
      for (int i = Long.hashCode(v * 0x9E3779B97F4A7C15L) & mask; ; i = (i + 1) & mask) {
        if (table[i] == v) {
          return;
        }
        if (table[i] == 0) {
          table[i] = v;
          size++;
          return;
        }
      }
    }

    long count() {
      return size + zeros;
    }
  }
}
