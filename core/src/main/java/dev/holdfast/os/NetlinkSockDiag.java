package dev.holdfast.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel's ESTABLISHED TCP sockets from Linux netlink {@code NETLINK_SOCK_DIAG} ({@code inet_diag},
 * what {@code ss} uses), reached through JNA: the fast {@link SocketTable}.
 *
 * <p>Why it is fast: the kernel filters before it writes anything. The request asks only for the
 * ESTABLISHED state ({@code idiag_states}) and carries an {@code inet_diag} bytecode program that
 * keeps a socket only when its local (or remote) port is one asked for; what comes back is a binary
 * record of 72 bytes for each matching socket. The kernel still walks its established hash, but
 * skipping a socket there costs a few comparisons, where {@code /proc/net/tcp} formats some 150 bytes
 * of text for every socket of the machine and the reader parses them again.
 *
 * <p>One netlink socket per scan, so scans on different threads do not share state. Every receive
 * waits at most {@link #RECEIVE_TIMEOUT_SECONDS}: a kernel that stops answering fails the scan
 * instead of holding the thread.
 */
public final class NetlinkSockDiag implements SocketTable {

  /** The name this reader reports as its method. */
  public static final String METHOD = "netlink";

  /** The longest a receive may wait for the kernel's next part of the dump. */
  public static final int RECEIVE_TIMEOUT_SECONDS = 5;

  private static final Logger LOG = Logger.getLogger(NetlinkSockDiag.class.getName());

  // <linux/socket.h>, <linux/netlink.h>, <linux/sock_diag.h>, <linux/inet_diag.h>
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_SOCK_DIAG = 4;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int IPPROTO_TCP = 6;
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int NLM_F_REQUEST = 0x1;
  private static final int NLM_F_DUMP = 0x300;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int INET_DIAG_REQ_BYTECODE = 1;
  private static final int INET_DIAG_BC_JMP = 1;
  private static final int INET_DIAG_BC_S_EQ = 11;
  private static final int INET_DIAG_BC_D_EQ = 12;
  private static final int TCP_ESTABLISHED = 1;
  private static final int EINTR = 4;

  private static final int NLMSG_HEADER = 16;
  private static final int REQUEST_V2 = 56;       // struct inet_diag_req_v2
  private static final int MESSAGE = 72;          // struct inet_diag_msg
  private static final int BUFFER = 64 * 1024;   // the kernel sends at most 32 KiB of a dump per receive

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** The C library calls used; errno arrives as a {@link LastErrorException}. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buf, NativeLong length, int flags, byte[] address, int addressLength)
        throws LastErrorException;

    NativeLong recv(int fd, Memory buf, NativeLong length, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private final LibC libc;

  private NetlinkSockDiag(LibC libc) {
    this.libc = libc;
  }

  /**
   * The reader where this machine allows it: Linux, JNA's native library loads, and the kernel
   * answers a filtered dump (a first scan, for a port no established socket has, proves it). Empty
   * otherwise, with the reason logged once.
   */
  public static Optional<NetlinkSockDiag> open() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    try {
      NetlinkSockDiag diag = new NetlinkSockDiag(Native.load("c", LibC.class));
      diag.scan(new int[] {0}, new int[0], (inode, la, lp, ra, rp) -> { });
      return Optional.of(diag);
    } catch (IOException | LinkageError | RuntimeException e) {
      LOG.log(Level.INFO, "netlink sock_diag unavailable, the kernel's socket counts read /proc/net/tcp*: " + e);
      return Optional.empty();
    }
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public void scan(int[] localPorts, int[] remotePorts, EstablishedSocket visitor) throws IOException {
    byte[] bytecode = bytecode(localPorts, remotePorts);
    int fd;
    try {
      fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    } catch (LastErrorException e) {
      throw new IOException("netlink socket refused: errno " + e.getErrorCode(), e);
    }
    try (Memory buf = new Memory(BUFFER)) {
      byte[] timeout = timeval(RECEIVE_TIMEOUT_SECONDS);
      libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
      Records records = new Records(visitor);
      for (int family : new int[] {AF_INET, AF_INET6}) {
        int seq = SEQUENCE.incrementAndGet();
        byte[] request = request(family, seq, bytecode);
        libc.sendto(fd, request, new NativeLong(request.length), 0, kernelAddress(), 12);
        receiveDump(fd, buf, seq, records);
      }
    } catch (LastErrorException e) {
      throw new IOException("netlink sock_diag failed: errno " + e.getErrorCode(), e);
    } finally {
      try {
        libc.close(fd);
      } catch (LastErrorException ignored) {
        // nothing to do about a failed close of a netlink socket
      }
    }
  }

  /** Reads the kernel's answer to one dump request until NLMSG_DONE. */
  private void receiveDump(int fd, Memory buf, int seq, Records records) throws IOException {
    byte[] copy = new byte[BUFFER];
    ByteBuffer in = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
    while (true) {
      long n;
      try {
        n = libc.recv(fd, buf, new NativeLong(BUFFER), 0).longValue();
      } catch (LastErrorException e) {
        if (e.getErrorCode() == EINTR) {
          continue;
        }
        throw new IOException("netlink receive failed (errno " + e.getErrorCode() + "; 11 = no answer within "
            + RECEIVE_TIMEOUT_SECONDS + " s)", e);
      }
      if (n <= 0) {
        throw new IOException("netlink dump ended without NLMSG_DONE");
      }
      buf.read(0, copy, 0, (int) n);
      for (int at = 0; at + NLMSG_HEADER <= n; ) {
        int length = in.getInt(at);
        int type = in.getShort(at + 4) & 0xFFFF;
        if (length < NLMSG_HEADER || at + length > n) {
          throw new IOException("netlink message of " + length + " bytes at " + at + " of " + n);
        }
        if (in.getInt(at + 8) == seq) {
          if (type == NLMSG_DONE) {
            return;
          }
          if (type == NLMSG_ERROR) {
            int errno = -in.getInt(at + NLMSG_HEADER);
            throw new IOException("the kernel refused the sock_diag request: errno " + errno);
          }
          if (type == SOCK_DIAG_BY_FAMILY && length >= NLMSG_HEADER + MESSAGE) {
            records.visit(copy, at + NLMSG_HEADER, in);
          }
        }
        at += (length + 3) & ~3;
      }
    }
  }

  /** Decodes {@code struct inet_diag_msg} records into the visitor, reusing the address arrays. */
  private static final class Records {
    private final EstablishedSocket visitor;
    private final byte[] local = new byte[16];
    private final byte[] remote = new byte[16];

    Records(EstablishedSocket visitor) {
      this.visitor = visitor;
    }

    // family(1) state(1) timer(1) retrans(1), sockid{sport be16, dport be16, src be32[4], dst be32[4], if, cookie[2]},
    // expires, rqueue, wqueue, uid, inode
    void visit(byte[] b, int at, ByteBuffer in) {
      int family = b[at] & 0xFF;
      if ((b[at + 1] & 0xFF) != TCP_ESTABLISHED) {
        return; // asked for ESTABLISHED only; an older kernel may still send others
      }
      int sport = ((b[at + 4] & 0xFF) << 8) | (b[at + 5] & 0xFF);
      int dport = ((b[at + 6] & 0xFF) << 8) | (b[at + 7] & 0xFF);
      copyAddress(b, at + 8, family, local);
      copyAddress(b, at + 24, family, remote);
      long inode = in.getInt(at + 68) & 0xFFFFFFFFL;
      visitor.visit(inode, local, sport, remote, dport);
    }

    private static void copyAddress(byte[] b, int at, int family, byte[] out) {
      if (family == AF_INET) {
        Arrays.fill(out, 0, 10, (byte) 0);
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(b, at, out, 12, 4);
      } else {
        System.arraycopy(b, at, out, 0, 16);
      }
    }
  }

  /** nlmsghdr + inet_diag_req_v2 (TCP, ESTABLISHED only) + the bytecode attribute when there is one. */
  private static byte[] request(int family, int seq, byte[] bytecode) {
    int attribute = bytecode.length == 0 ? 0 : 4 + bytecode.length;
    int length = NLMSG_HEADER + REQUEST_V2 + attribute;
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    b.putInt(length).putShort((short) SOCK_DIAG_BY_FAMILY).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP))
        .putInt(seq).putInt(0);
    b.put((byte) family).put((byte) IPPROTO_TCP).put((byte) 0).put((byte) 0).putInt(1 << TCP_ESTABLISHED);
    b.position(b.position() + 48); // inet_diag_sockid: unused in a dump
    if (attribute > 0) {
      b.putShort((short) attribute).putShort((short) INET_DIAG_REQ_BYTECODE).put(bytecode);
    }
    return b.array();
  }

  /**
   * An {@code inet_diag} program that keeps a socket whose local port is one of {@code localPorts}
   * and whose remote port is one of {@code remotePorts} (an empty group: any port); empty when both are.
   *
   * <p>The kernel runs it as: each op {@code {code, yes, no}} tests, then jumps {@code yes} or {@code no}
   * bytes ahead; the socket is kept if the jumps land exactly on the end, dropped if they jump past it.
   * A port test is two ops ({@code S_EQ}/{@code D_EQ}, then one whose {@code no} field holds the port).
   * Each group is an OR chain, written as {@code ss} writes it: test, then a {@code JMP} to the group's
   * end that a match falls into; a miss skips the JMP to the next test; the last test's miss jumps past
   * the program's end. The kernel's audit only accepts jump targets reachable by following
   * {@code yes}, which this layout keeps (every op's {@code yes} is the next op).
   */
  static byte[] bytecode(int[] localPorts, int[] remotePorts) {
    int total = groupLength(localPorts) + groupLength(remotePorts);
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.nativeOrder());
    group(b, INET_DIAG_BC_S_EQ, localPorts, total);
    group(b, INET_DIAG_BC_D_EQ, remotePorts, total);
    return b.array();
  }

  private static int groupLength(int[] ports) {
    return ports.length == 0 ? 0 : ports.length * 12 - 4;
  }

  private static void group(ByteBuffer b, int code, int[] ports, int total) {
    int groupEnd = b.position() + groupLength(ports);
    for (int i = 0; i < ports.length; i++) {
      boolean last = i == ports.length - 1;
      int at = b.position();
      int no = last ? total - at + 4 : 12; // the last miss: past the end, the socket is dropped
      op(b, code, 8, no);
      op(b, 0, 0, ports[i]);
      if (!last) {
        int jmpAt = b.position();
        op(b, INET_DIAG_BC_JMP, 4, groupEnd - jmpAt);
      }
    }
  }

  private static void op(ByteBuffer b, int code, int yes, int no) {
    b.put((byte) code).put((byte) yes).putShort((short) no);
  }

  private static byte[] kernelAddress() {
    // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid (0: the kernel); __u32 nl_groups; }
    return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).array();
  }

  /** struct timeval: two C longs (seconds, microseconds). */
  private static byte[] timeval(int seconds) {
    ByteBuffer b = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
    return (Native.LONG_SIZE == 8 ? b.putLong(seconds).putLong(0) : b.putInt(seconds).putInt(0)).array();
  }
}
