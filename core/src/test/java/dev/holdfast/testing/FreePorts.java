package dev.holdfast.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Listening ports for tests, below Linux's ephemeral range (32768-60999). A node on an
 * OS-picked port (0) gets one from inside that range, where the test's own client sockets may
 * hold the same number as their local port, and the kernel's count by local port would then see
 * them too.
 */
public final class FreePorts {

  private FreePorts() {
  }

  /** A port in [20000, 32000) that is free on 127.0.0.1 right now. */
  public static int belowEphemeralRange() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port found in [20000, 32000)");
  }
}
