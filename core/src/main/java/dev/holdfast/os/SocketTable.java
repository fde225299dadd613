package dev.holdfast.os;

import java.io.IOException;

/**
 * One way to list the kernel's ESTABLISHED TCP sockets, IPv4 and IPv6: netlink sock_diag
 * ({@link NetlinkSockDiag}) or the text tables {@code /proc/net/tcp*} ({@link ProcNetTcp}).
 * {@link KernelSockets} picks one and counts with it.
 */
public interface SocketTable {

  /** The name this reader reports itself by: {@code netlink} or {@code proc-net-tcp}. */
  String method();

  /**
   * Visits every ESTABLISHED socket whose local port is one of {@code localPorts} and whose remote
   * port is one of {@code remotePorts} (an empty array matches any port). A socket opened or closed
   * during the scan may shift the kernel's walk, so one socket may be visited twice: count by inode.
   *
   * @throws IOException when the kernel refuses the listing or it cannot be read
   */
  void scan(int[] localPorts, int[] remotePorts, EstablishedSocket visitor) throws IOException;
}
