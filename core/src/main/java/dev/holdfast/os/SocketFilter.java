package dev.holdfast.os;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which ESTABLISHED TCP sockets a {@link KernelSockets} count takes: by local port, by remote port or
 * remote endpoint (address and port), and whether only this process's own sockets count. The ports
 * are handed to the kernel (netlink filters them before it writes anything); endpoint addresses and
 * ownership are checked here.
 *
 * @param localPorts the local ports allowed, sorted; empty: any
 * @param remotePorts the remote ports allowed, sorted; empty: any
 * @param remoteEndpoints remote ends allowed, as 16-byte addresses (IPv4 IPv4-mapped) beside their
 *     ports; empty: any address on an allowed remote port
 * @param ownOnly true: only sockets that are open files of this process ({@code /proc/self/fd})
 */
public record SocketFilter(int[] localPorts, int[] remotePorts, List<Endpoint> remoteEndpoints, boolean ownOnly) {

  /** A remote end as the tables give it: a 16-byte address and a port. */
  public record Endpoint(byte[] address, int port) {

    /** {@code socket} as the kernel shows it: IPv4 IPv4-mapped; null when it is unresolved. */
    public static Endpoint of(InetSocketAddress socket) {
      InetAddress a = socket.getAddress();
      return a == null ? null : new Endpoint(mapped(a), socket.getPort());
    }

    boolean matches(byte[] address, int port) {
      return this.port == port && Arrays.equals(this.address, address);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Endpoint e && e.port == port && Arrays.equals(e.address, address);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(address) + port;
    }

    @Override
    public String toString() {
      return Arrays.toString(address) + ":" + port;
    }
  }

  /** The server side: sockets whose local port is one of {@code ports}, whoever owns them. */
  public static SocketFilter localPorts(int... ports) {
    return new SocketFilter(sorted(ports), new int[0], List.of(), false);
  }

  /** The client side: sockets whose remote end is one of {@code remotes} (unresolved ones are skipped). */
  public static SocketFilter remoteEndpoints(Collection<InetSocketAddress> remotes) {
    List<Endpoint> ends = new ArrayList<>();
    TreeSet<Integer> ports = new TreeSet<>();
    for (InetSocketAddress r : remotes) {
      Endpoint e = Endpoint.of(r);
      if (e != null && !ends.contains(e)) {
        ends.add(e);
        ports.add(e.port());
      }
    }
    int[] p = ports.stream().mapToInt(Integer::intValue).toArray();
    // no resolved remote at all: a filter that matches nothing, rather than one that matches everything
    return new SocketFilter(new int[0], p.length == 0 ? new int[] {0} : p, List.copyOf(ends), false);
  }

  /** The same filter, counting only the sockets that are open files of this process. */
  public SocketFilter ownedByThisProcess() {
    return new SocketFilter(localPorts, remotePorts, remoteEndpoints, true);
  }

  /** True when the remote end passes (the ports were already checked by the table's scan). */
  boolean remoteMatches(byte[] address, int port) {
    if (remoteEndpoints.isEmpty()) {
      return true;
    }
    for (Endpoint e : remoteEndpoints) {
      if (e.matches(address, port)) {
        return true;
      }
    }
    return false;
  }

  /** An address in the 16-byte form the tables use: IPv4 as {@code ::ffff:a.b.c.d}. */
  public static byte[] mapped(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      byte[] m = new byte[16];
      m[10] = (byte) 0xFF;
      m[11] = (byte) 0xFF;
      System.arraycopy(b, 0, m, 12, 4);
      return m;
    }
    return b;
  }

  private static int[] sorted(int[] ports) {
    return Arrays.stream(ports).distinct().sorted().toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocketFilter f && Arrays.equals(f.localPorts, localPorts) && Arrays.equals(f.remotePorts,
        remotePorts) && f.remoteEndpoints.equals(remoteEndpoints) && f.ownOnly == ownOnly;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(localPorts) * 31 + Arrays.hashCode(remotePorts) * 17 + remoteEndpoints.hashCode()
        + (ownOnly ? 1 : 0);
  }

  @Override
  public String toString() {
    return "SocketFilter[local " + Arrays.toString(localPorts) + ", remote " + Arrays.toString(remotePorts)
        + ", endpoints " + remoteEndpoints + (ownOnly ? ", own only]" : "]");
  }
}
