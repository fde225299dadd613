package dev.holdfast.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The readers (netlink, /proc/net/tcp*, own descriptors) against real loopback sockets, IPv4 and IPv6. */
class KernelSocketsTest {

  private final List<AutoCloseable> open = new ArrayList<>();
  private NetlinkSockDiag netlink;
  private SocketDescriptors descriptors;

  @BeforeEach
  void linuxWithNetlink() {
    assumeTrue(ProcNetTcp.available(), "Linux only");
    netlink = NetlinkSockDiag.open().orElse(null);
    assumeTrue(netlink != null, "netlink sock_diag refused on this machine");
    descriptors = SocketDescriptors.open().orElseThrow();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void netlinkAndProcAgreeOnThisProcesssSocketsWhileOthersOpenAndClose() throws Exception {
    ServerSocket v4 = server("127.0.0.1");
    ServerSocket v6 = server("::1");
    ServerSocket churned = server("127.0.0.1");
    int held4 = 40;
    int held6 = 25;
    connect(v4, held4);
    connect(v6, held6);
    KernelSockets viaNetlink = KernelSockets.of(netlink);
    KernelSockets viaProc = KernelSockets.of(ProcNetTcp.tables());
    KernelSockets viaFds = KernelSockets.of(descriptors, ProcNetTcp.tables());
    assertThat(viaNetlink.method()).isEqualTo("netlink");
    assertThat(viaProc.method()).isEqualTo("proc-net-tcp");
    SocketFilter servers = SocketFilter.localPorts(v4.getLocalPort(), v6.getLocalPort()).ownedByThisProcess();
    SocketFilter clients = SocketFilter.remoteEndpoints(List.of(
        (InetSocketAddress) v4.getLocalSocketAddress(), (InetSocketAddress) v6.getLocalSocketAddress()));

    // Meanwhile another thread opens and closes connections on a third port, shifting the kernel's walk.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong churns = new AtomicLong();
    Thread churn = new Thread(() -> {
      for (int i = 0; i < 100_000 && !stop.get(); i++) {
        try (Socket c = new Socket("127.0.0.1", churned.getLocalPort()); Socket s = churned.accept()) {
          churns.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    });
    churn.start();
    try {
      for (int round = 0; round < 20; round++) {
        assertThat(viaNetlink.count(servers)).isEqualTo(held4 + held6);
        assertThat(viaProc.count(servers)).isEqualTo(held4 + held6);
        assertThat(viaFds.count(servers)).isEqualTo(held4 + held6);
        assertThat(viaFds.count(clients.ownedByThisProcess())).isEqualTo(held4 + held6);
        assertThat(viaNetlink.count(clients)).isEqualTo(held4 + held6);
        assertThat(viaProc.count(clients)).isEqualTo(held4 + held6);
        assertThat(viaNetlink.count(SocketFilter.localPorts(v6.getLocalPort()))).isEqualTo(held6);
        assertThat(viaProc.count(SocketFilter.localPorts(v6.getLocalPort()))).isEqualTo(held6);
      }
    } finally {
      stop.set(true);
      churn.join(10_000);
    }
    assertThat(churns.get()).isPositive();
  }

  @Test
  void socketsThatOpenAndCloseAreSeenByBothReaders() throws Exception {
    ServerSocket v4 = server("127.0.0.1");
    ServerSocket v6 = server("::1");
    SocketFilter filter = SocketFilter.localPorts(v4.getLocalPort(), v6.getLocalPort()).ownedByThisProcess();
    KernelSockets viaNetlink = KernelSockets.of(netlink);
    KernelSockets viaProc = KernelSockets.of(ProcNetTcp.tables());
    KernelSockets viaFds = KernelSockets.of(descriptors, ProcNetTcp.tables());
    assertThat(viaFds.method(filter)).isEqualTo("socket-fds");
    List<Socket[]> pairs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pairs.add(pair(i % 2 == 0 ? v4 : v6));
      assertThat(viaNetlink.count(filter)).isEqualTo(pairs.size());
      assertThat(viaProc.count(filter)).isEqualTo(pairs.size());
      assertThat(viaFds.count(filter)).isEqualTo(pairs.size());
    }
    while (!pairs.isEmpty()) {
      Socket[] p = pairs.remove(pairs.size() - 1);
      p[0].close();
      p[1].close();
      // closing both ends at once leaves no ESTABLISHED socket behind
      assertThat(viaNetlink.count(filter)).isEqualTo(pairs.size());
      assertThat(viaProc.count(filter)).isEqualTo(pairs.size());
      assertThat(viaFds.count(filter)).isEqualTo(pairs.size());
    }
  }

  @Test
  void anotherProcesssSocketWithTheSamePortNumberIsNotOwn() throws Exception {
    ServerSocket node = server("127.0.0.1");
    ServerSocket elsewhere = server("127.0.0.1");
    connect(node, 3);
    int port = node.getLocalPort();
    // A child process binds 127.0.0.2 with the node's port number and connects to another of our
    // servers: an established socket whose local port is the node's, owned by someone else.
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OtherProcessSocket.class.getName(),
        "127.0.0.2", Integer.toString(port), "127.0.0.1", Integer.toString(elsewhere.getLocalPort()))
        .redirectErrorStream(true).start();
    open.add(() -> {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    });
    String said = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(said).isEqualTo("connected");
    open.add(elsewhere.accept());
    for (KernelSockets sockets : List.of(KernelSockets.of(netlink), KernelSockets.of(ProcNetTcp.tables()),
        KernelSockets.of(descriptors, netlink))) {
      assertThat(sockets.count(SocketFilter.localPorts(port))).as(sockets.method()).isEqualTo(3 + 1);
      assertThat(sockets.count(SocketFilter.localPorts(port).ownedByThisProcess())).as(sockets.method(SocketFilter.localPorts(port).ownedByThisProcess())).isEqualTo(3);
    }
  }

  @Test
  void theFallbackCountsAndSaysSoWhenTheFastPathIsSwitchedOff() throws Exception {
    ServerSocket v4 = server("127.0.0.1");
    connect(v4, 4);
    SocketFilter own = SocketFilter.localPorts(v4.getLocalPort()).ownedByThisProcess();
    KernelSockets sockets = KernelSockets.create(false);
    assertThat(sockets.method()).isEqualTo("proc-net-tcp");
    assertThat(sockets.method(own)).isEqualTo("proc-net-tcp");
    assertThat(sockets.count(own)).isEqualTo(4);
    KernelSockets fast = KernelSockets.create(true);
    assertThat(fast.method()).isEqualTo("netlink");
    assertThat(fast.method(own)).isEqualTo("socket-fds");
    assertThat(fast.count(own)).isEqualTo(4);
  }

  @Test
  void theSystemPropertySwitchesTheFastPathOffForTheWholeProcess() throws Exception {
    assertThat(childSays("-D" + KernelSockets.FAST_PATH_PROPERTY + "=false")).isEqualTo("proc-net-tcp proc-net-tcp 0");
    assertThat(childSays("-Dunrelated=1")).isEqualTo("socket-fds netlink 0");
  }

  private static String childSays(String property) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), property,
        "-cp", System.getProperty("java.class.path"), PrintCountMethod.class.getName()).start();
    try {
      String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return line;
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aNetlinkScanThatFailsSwitchesToTheFallbackAndSaysSo() throws Exception {
    ServerSocket v4 = server("127.0.0.1");
    connect(v4, 2);
    SocketTable refused = new SocketTable() {
      @Override
      public String method() {
        return "netlink";
      }

      @Override
      public void scan(int[] localPorts, int[] remotePorts, EstablishedSocket visitor) throws IOException {
        throw new IOException("the kernel refused the sock_diag request: errno 1");
      }
    };
    KernelSockets sockets = KernelSockets.withFallback(refused, ProcNetTcp.tables());
    assertThat(sockets.method()).isEqualTo("netlink");
    assertThat(sockets.count(SocketFilter.localPorts(v4.getLocalPort()).ownedByThisProcess())).isEqualTo(2);
    assertThat(sockets.method()).isEqualTo("proc-net-tcp");
  }

  @Test
  void manyPortsInOneKernelFilter() throws Exception {
    List<ServerSocket> servers = new ArrayList<>();
    int[] ports = new int[40];
    for (int i = 0; i < ports.length; i++) {
      servers.add(server(i % 3 == 0 ? "::1" : "127.0.0.1"));
      ports[i] = servers.get(i).getLocalPort();
      if (i % 2 == 0) {
        connect(servers.get(i), 1);
      }
    }
    SocketFilter filter = SocketFilter.localPorts(ports).ownedByThisProcess();
    assertThat(KernelSockets.of(netlink).count(filter)).isEqualTo(20);
    assertThat(KernelSockets.of(ProcNetTcp.tables()).count(filter)).isEqualTo(20);
    assertThat(KernelSockets.of(descriptors, netlink).count(filter)).isEqualTo(20);
    // local and remote groups together: the client sides to the even servers only
    int[] even = new int[20];
    for (int i = 0; i < 20; i++) {
      even[i] = ports[2 * i];
    }
    SocketFilter clientsOfEven = new SocketFilter(new int[0], even, List.of(), true);
    assertThat(KernelSockets.of(netlink).count(clientsOfEven)).isEqualTo(20);
    assertThat(KernelSockets.of(descriptors, netlink).count(clientsOfEven)).isEqualTo(20);
    SocketFilter both = new SocketFilter(new int[] {ports[0], ports[2]}, new int[] {ports[0]}, List.of(), false);
    assertThat(KernelSockets.of(netlink).count(both)).isZero(); // no socket has local port 2 and remote port 0's
  }

  private ServerSocket server(String host) throws IOException {
    ServerSocket s = new ServerSocket(0, 200, InetAddress.getByName(host));
    open.add(s);
    return s;
  }

  @Test
  void askingEveryDescriptorNumberFindsWhatTheListingFinds() throws Exception {
    ServerSocket v4 = server("127.0.0.1");
    ServerSocket v6 = server("::1");
    int[] ports = {v4.getLocalPort(), v6.getLocalPort()};
    for (int i = 0; i < 40; i++) {
      pair(i % 2 == 0 ? v4 : v6);
    }
    List<String> byNumber = new ArrayList<>();
    List<String> listed = new ArrayList<>();
    assertThat(descriptors.scan(ports, new int[0], true, (fd, la, lp, ra, rp) -> byNumber.add(fd + " " + lp + " " + rp)))
        .isTrue();
    assertThat(descriptors.scanListed(ports, new int[0], true, (fd, la, lp, ra, rp) -> listed.add(fd + " " + lp + " " + rp)))
        .isTrue();
    assertThat(byNumber).hasSize(40).containsExactlyInAnyOrderElementsOf(listed);
  }

  private void connect(ServerSocket server, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      pair(server);
    }
  }

  private Socket[] pair(ServerSocket server) throws IOException {
    Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
    Socket accepted = server.accept();
    open.add(client);
    open.add(accepted);
    return new Socket[] {client, accepted};
  }
}
