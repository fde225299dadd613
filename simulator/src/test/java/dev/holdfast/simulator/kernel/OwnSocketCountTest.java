package dev.holdfast.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OwnSocketCountTest {

  @Test
  void writesAddressesAsTheKernelDoes() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    assertThat(OwnSocketCount.procHex(lo, false)).isEqualTo("0100007F");
    assertThat(OwnSocketCount.procHex(lo, true)).isEqualTo("0000000000000000FFFF00000100007F");
    assertThat(OwnSocketCount.procHex(InetAddress.getByName("::1"), true)).isEqualTo("00000000000000000000000001000000");
  }

  @Test
  void countsOnlyEstablishedLinesWithATargetAsRemoteEnd() throws Exception {
    String table = String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        // client side of a connection to the target 127.0.0.1:8080 (0x1F90): counted
        "   0: 0200007F:A000 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 111 1",
        // the server side of it: the target is the local end, not counted
        "   1: 0100007F:1F90 0200007F:A000 01 00000000:00000000 00:00000000 00000000     0        0 112 1",
        // time-wait to the target: not established
        "   2: 0200007F:A001 0100007F:1F90 06 00000000:00000000 00:00000000 00000000     0        0 0 1",
        // same port, another address: someone else's server
        "   3: 0200007F:A002 0500007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 113 1");
    OwnSocketCount count = new OwnSocketCount(List.of(new InetSocketAddress("127.0.0.1", 8080)));
    byte[][] remotes = count.remotes().stream().map(r -> r.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    for (int chunk : new int[] {1, 7, 4096}) { // lines split across reads at any point
      OwnSocketCount.Inodes inodes = new OwnSocketCount.Inodes();
      OwnSocketCount.collect(new ChunkedStream(table.getBytes(StandardCharsets.US_ASCII), chunk), remotes, inodes);
      assertThat(inodes.size()).isEqualTo(1);
      inodes.sort();
      assertThat(inodes.contains(111)).isTrue();
    }
  }

  @Test
  void countsThisProcesssRealConnectionsAndNotTheServersSide() throws Exception {
    Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/tcp")));
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      OwnSocketCount count = new OwnSocketCount(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort())));
      assertThat(count.count()).isZero();
      List<Socket> clients = new ArrayList<>();
      List<Socket> accepted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        clients.add(new Socket("127.0.0.1", server.getLocalPort()));
        accepted.add(server.accept());
      }
      assertThat(count.count()).isEqualTo(3);
      for (Socket s : clients) {
        s.close();
      }
      for (Socket s : accepted) {
        s.close();
      }
      assertThat(count.count()).isZero();
    }
  }


  /** A stream that hands out at most {@code chunk} bytes per read, as a slow /proc read may. */
  private static final class ChunkedStream extends ByteArrayInputStream {
    private final int chunk;

    ChunkedStream(byte[] bytes, int chunk) {
      super(bytes);
      this.chunk = chunk;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, chunk));
    }
  }
}
