package dev.holdfast.os;

/**
 * Receives one ESTABLISHED TCP socket as a {@link SocketTable} lists it. Addresses are 16 bytes in
 * network order, an IPv4 address IPv4-mapped ({@code ::ffff:a.b.c.d}); the arrays are reused for
 * the next socket, so copy what must outlive the call.
 */
@FunctionalInterface
public interface EstablishedSocket {

  /**
   * One socket: its inode (0 while it waits in a listener's accept queue, not yet any process's
   * file), its local and its remote end.
   */
  void visit(long inode, byte[] localAddress, int localPort, byte[] remoteAddress, int remotePort);
}
