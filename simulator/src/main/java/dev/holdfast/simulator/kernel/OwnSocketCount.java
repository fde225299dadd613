package dev.holdfast.simulator.kernel;

import dev.holdfast.os.ProcNetTcp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kernel's count of this process's established TCP connections to the targets: the
 * independent witness beside the simulator's own count.
 *
 * <p>Matching by port alone is not enough on a shared host: on loopback every server's sockets
 * appear too, and any other process's socket may happen to have a target's port number at one
 * end. So a socket counts only when the kernel lists it ESTABLISHED in {@code /proc/net/tcp} or
 * {@code tcp6} with a target's address and port as its remote end, and its inode is one of this
 * process's open files ({@code /proc/self/fd}). Where {@code /proc/self/fd} cannot be read, the
 * endpoint match alone counts. Reading the tables walks the kernel's socket hash (tens of
 * milliseconds per ten thousand sockets): call it off the event loops, every few seconds at most.
 */
public final class OwnSocketCount {

  private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private static final byte[] ESTABLISHED = {'0', '1'};
  private static final int INODE_FIELD = 9;

  private final Set<String> remotes;
  private final byte[][] remoteBytes;

  /** Counts connections whose remote end is one of {@code targets}. */
  public OwnSocketCount(Collection<InetSocketAddress> targets) {
    Set<String> r = new HashSet<>();
    for (InetSocketAddress t : targets) {
      if (t.getAddress() == null) {
        continue; // unresolved: cannot be matched
      }
      String port = String.format(Locale.ROOT, "%04X", t.getPort());
      r.add(procHex(t.getAddress(), false) + ":" + port);
      r.add(procHex(t.getAddress(), true) + ":" + port);
    }
    this.remotes = Set.copyOf(r);
    this.remoteBytes = remotes.stream().map(x -> x.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
  }

  /** The remote ends matched, as the kernel's tables write them. */
  Set<String> remotes() {
    return remotes;
  }

  /** The count now, or -1 where the kernel's tables cannot be read (not Linux). */
  public long count() {
    if (!ProcNetTcp.available()) {
      return -1;
    }
    Inodes inodes = new Inodes();
    for (Path table : TABLES) {
      if (Files.isReadable(table)) {
        try (InputStream in = Files.newInputStream(table)) {
          collect(in, remoteBytes, inodes);
        } catch (IOException e) {
          return -1;
        }
      }
    }
    Long own = countOwned(inodes);
    return own == null ? inodes.size() : own;
  }

  /**
   * Adds the inode of every ESTABLISHED line whose remote end is in {@code remotes}. Parses bytes in
   * place, without a String per line: with tens of thousands of sockets on the host, the table is
   * megabytes long and is read every few seconds.
   */
  static void collect(InputStream in, byte[][] remotes, Inodes inodes) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int[] field = new int[2];
    int len = 0;
    boolean header = true;
    while (true) {
      int read = in.read(buf, len, buf.length - len);
      if (read > 0) {
        len += read;
      }
      int start = 0;
      while (true) {
        int nl = indexOf(buf, (byte) '\n', start, len);
        if (nl < 0 && (read > 0 || start >= len)) {
          break; // an unfinished line waits for more bytes; at the end, a last line without newline is taken
        }
        int end = nl < 0 ? len : nl;
        if (header) {
          header = false;
        } else {
          collectLine(buf, start, end, remotes, inodes, field);
        }
        start = end + 1;
      }
      int keep = Math.max(0, len - start);
      System.arraycopy(buf, Math.min(start, len), buf, 0, keep);
      len = keep;
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
      if (read <= 0) {
        return;
      }
    }
  }

  // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
  private static void collectLine(byte[] b, int from, int to, byte[][] remotes, Inodes inodes, int[] field) {
    int i = from;
    int remoteStart = -1;
    int remoteEnd = -1;
    for (int f = 0; f <= INODE_FIELD; f++) {
      i = next(b, i, to, field);
      if (field[0] < 0) {
        return;
      }
      if (f == 2) {
        remoteStart = field[0];
        remoteEnd = field[1];
      } else if (f == 3) {
        if (!equal(b, field[0], field[1], ESTABLISHED) || !matchesAny(b, remoteStart, remoteEnd, remotes)) {
          return;
        }
      } else if (f == INODE_FIELD) {
        inodes.add(decimal(b, field[0], field[1]));
      }
    }
  }

  /** Finds the next space-separated field from {@code i}: its bounds in {@code field}, or -1. */
  private static int next(byte[] b, int i, int to, int[] field) {
    while (i < to && b[i] == ' ') {
      i++;
    }
    int start = i;
    while (i < to && b[i] != ' ') {
      i++;
    }
    field[0] = start < i ? start : -1;
    field[1] = i;
    return i;
  }

  private static boolean matchesAny(byte[] b, int from, int to, byte[][] remotes) {
    for (byte[] r : remotes) {
      if (equal(b, from, to, r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equal(byte[] b, int from, int to, byte[] expected) {
    return to - from == expected.length && Arrays.equals(b, from, to, expected, 0, expected.length);
  }

  private static long decimal(byte[] b, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
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

  /** How many of {@code inodes} are this process's open files; null when that cannot be read. */
  private static Long countOwned(Inodes inodes) {
    if (inodes.size() == 0) {
      return 0L;
    }
    inodes.sort();
    long n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_FDS)) {
      for (Path fd : fds) {
        String link;
        try {
          link = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (link.startsWith("socket:[") && link.endsWith("]")) {
          try {
            if (inodes.contains(Long.parseLong(link, 8, link.length() - 1, 10))) {
              n++;
            }
          } catch (NumberFormatException e) {
            // not a socket inode
          }
        }
      }
    } catch (IOException | SecurityException e) {
      return null;
    }
    return n;
  }

  /** A growable set of inode numbers: appended while scanning, sorted once, then searched. */
  static final class Inodes {
    private long[] values = new long[1024];
    private int size;

    void add(long inode) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = inode;
    }

    int size() {
      return size;
    }

    void sort() {
      Arrays.sort(values, 0, size);
    }

    boolean contains(long inode) {
      return Arrays.binarySearch(values, 0, size, inode) >= 0;
    }
  }

  /**
   * An address as {@code /proc/net/tcp*} writes it: the bytes of each 32-bit word in host order
   * (little-endian on x86 and arm64), in hex; an IPv4 address in the IPv6 table is v4-mapped.
   */
  static String procHex(InetAddress address, boolean ipv6Table) {
    byte[] b = address.getAddress();
    if (b.length == 4 && ipv6Table) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      System.arraycopy(b, 0, mapped, 12, 4);
      b = mapped;
    } else if (b.length == 16 && !ipv6Table) {
      return "-"; // an IPv6 target never appears in the IPv4 table
    }
    StringBuilder s = new StringBuilder(b.length * 2);
    for (int word = 0; word < b.length; word += 4) {
      for (int i = 3; i >= 0; i--) {
        s.append(String.format(Locale.ROOT, "%02X", b[word + i] & 0xFF));
      }
    }
    return s.toString();
  }
}
