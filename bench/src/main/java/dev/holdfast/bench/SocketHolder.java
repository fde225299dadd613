package dev.holdfast.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A helper process of the kernel-count benchmark: puts sockets on the machine that belong to
 * somebody else. Holds {@code --pairs N} loopback connections with both ends in this process (2N
 * established sockets) and, with {@code --connect PORT --clients M}, M client connections to another
 * process's port on 127.0.0.1. Prints "ready" once all are established, then holds them until its
 * standard input closes. A process here may hold 20,000 files: keep N at 9,000 or fewer.
 */
final class SocketHolder {

  private SocketHolder() {
  }

  public static void main(String[] args) throws Exception {
    Flags flags = Flags.parse("socket-holder", args, java.util.Set.of());
    int pairs = flags.integer("pairs", 0, "loopback connections with both ends here");
    int connectPort = flags.integer("connect", 0, "a port on 127.0.0.1 to open client connections to");
    int clients = flags.integer("clients", 0, "how many client connections to --connect");
    flags.finish();
    List<Socket> held = new ArrayList<>();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    if (pairs > 0) {
      try (ServerSocket server = new ServerSocket(0, 4096, lo)) {
        Thread acceptor = acceptor(server, pairs, held);
        for (int i = 0; i < pairs; i++) {
          Socket s = new Socket(lo, server.getLocalPort());
          synchronized (held) {
            held.add(s);
          }
        }
        acceptor.join();
      }
    }
    for (int i = 0; i < clients; i++) {
      held.add(new Socket(lo, connectPort));
    }
    System.out.println("ready " + held.size());
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold until the harness closes our standard input (or ends)
    }
    for (Socket s : held) {
      s.close();
    }
  }

  /** Accepts {@code n} connections on a thread of its own, adding each to {@code held}. */
  static Thread acceptor(ServerSocket server, int n, List<Socket> held) {
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < n; i++) {
          Socket s = server.accept();
          synchronized (held) {
            held.add(s);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "acceptor");
    t.start();
    return t;
  }
}
