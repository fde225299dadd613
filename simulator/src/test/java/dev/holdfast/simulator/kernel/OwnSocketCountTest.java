package dev.holdfast.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.os.KernelSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OwnSocketCountTest {

  @Test
  void theFastPathCountsThisProcesssRealConnectionsAndNotTheServersSide() throws Exception {
    countsThisProcesssRealConnectionsAndNotTheServersSide(true);
  }

  @Test
  void theFallbackCountsThemToo() throws Exception {
    countsThisProcesssRealConnectionsAndNotTheServersSide(false);
  }

  private static void countsThisProcesssRealConnectionsAndNotTheServersSide(boolean fastPath) throws Exception {
    Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/tcp")));
    KernelSockets sockets = KernelSockets.create(fastPath);
    try (ServerSocket v4 = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      OwnSocketCount count = new OwnSocketCount(List.of(
          (InetSocketAddress) v4.getLocalSocketAddress(), (InetSocketAddress) v6.getLocalSocketAddress()), sockets);
      Assumptions.assumeTrue(!fastPath || !count.method().equals("proc-net-tcp"), "no fast path here");
      assertThat(count.method()).isEqualTo(fastPath ? "socket-fds" : "proc-net-tcp");
      assertThat(count.count()).isZero();
      List<Socket> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        for (ServerSocket s : List.of(v4, v6, other)) {
          open.add(new Socket(s.getInetAddress(), s.getLocalPort()));
          open.add(s.accept());
        }
      }
      // the client sides to the two targets; neither their server sides nor the third server's
      assertThat(count.count()).isEqualTo(6);
      for (Socket s : open) {
        s.close();
      }
      assertThat(count.count()).isZero();
    }
  }

  @Test
  void theCounterRunsTheCount() throws Exception {
    String host = "127.0.0.1";
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(host));
        Socket client = new Socket(host, server.getLocalPort());
        Socket accepted = server.accept()) {
      OwnSocketCount count = new OwnSocketCount(List.of((InetSocketAddress) server.getLocalSocketAddress()));
      long n = OwnSocketCount.counter(count::count).count().get(30, TimeUnit.SECONDS);
      assertThat(n).isEqualTo(KernelSockets.system().available() ? 1 : -1);
    }
  }
}
