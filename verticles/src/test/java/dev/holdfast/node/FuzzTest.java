package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throws garbage at a node holding a control group for a bounded time: random bytes before and
 * after a handshake, random but valid-looking frames (any opcode, reserved bits, lengths, masks),
 * truncated handshakes. Afterwards the control group all still echo, the node holds only them,
 * and its heap and open files are back to where they were.
 */
@ExtendWith(VertxExtension.class)
class FuzzTest {

  private static final int CONTROL = 20;
  /** How long the fuzzing runs (at most 20 s in verify); {@code -Dfuzz.seconds=} for a longer run. */
  private static final long SECONDS = Long.getLong("fuzz.seconds", 8);
  private static final int MAX_ATTEMPTS = 5_000;
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

  @Test
  void garbageCostsOnlyTheConnectionsThatSentIt(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig().instances(2).handshakeTimeout(Duration.ofSeconds(1))
        .maxFrameBytes(4096).maxMessageBytes(16_384).maxOutboundBytes(4096 + 65_536);
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      control.assertAllEcho();
      long heapBefore = liveHeap();
      int filesBefore = openFiles();

      Random random = new Random(SEED);
      long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
      AtomicInteger attempts = new AtomicInteger();
      List<Socket> leftOpen = new ArrayList<>();
      int[] byKind = new int[4];
      while (System.nanoTime() < deadline && attempts.incrementAndGet() <= MAX_ATTEMPTS) {
        int kind = random.nextInt(4);
        byKind[kind]++;
        try {
          switch (kind) {
            case 0 -> rawBytes(node.port(), random, false);
            case 1 -> rawBytes(node.port(), random, true);
            case 2 -> randomFrames(node.port(), random);
            default -> truncatedHandshake(node.port(), random, leftOpen);
          }
        } catch (IOException e) {
          // the node cut the connection: exactly what it may do to these
        }
      }

      System.out.printf("fuzz: seed %d, %d attempts (raw, raw after handshake, frames, truncated): %s%n",
          SEED, attempts.get(), java.util.Arrays.toString(byKind));
      for (Socket s : leftOpen) {
        s.setSoTimeout(10_000);
        assertThat(s.getInputStream().read()).as("a silent half handshake is closed by the node").isEqualTo(-1);
        s.close();
      }
      control.assertAllEcho();
      JsonObject c = node.connectionsWhen(s -> s.getLong("held") == CONTROL);
      assertThat(c.getLong("held")).as("seed %d, attempts by kind %s", SEED, java.util.Arrays.toString(byKind))
          .isEqualTo(CONTROL);
      // what the garbage made the node hold is gone again (handshake deadlines end the truncated ones)
      assertThat(dev.holdfast.testing.Eventually.poll(Duration.ofSeconds(15), FuzzTest::openFiles,
          n -> n <= filesBefore + 2)).as("open files, before: %d", filesBefore).isLessThanOrEqualTo(filesBefore + 2);
      long heapAfter = dev.holdfast.testing.Eventually.poll(Duration.ofSeconds(15), FuzzTest::liveHeap,
          h -> h <= heapBefore + (8 << 20));
      assertThat(heapAfter).as("live heap after, before %d", heapBefore).isLessThanOrEqualTo(heapBefore + (8 << 20));
    }
  }

  /** Random bytes, either instead of a handshake or after a good one. */
  private static void rawBytes(int port, Random random, boolean afterHandshake) throws IOException {
    byte[] junk = new byte[1 + random.nextInt(2048)];
    random.nextBytes(junk);
    if (afterHandshake) {
      try (RawWebSocket ws = new RawWebSocket(port, "/ws")) {
        ws.sendBytes(junk); // and gone: a partial frame must not keep anything on the node either
      }
    } else {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write(junk);
      }
    }
  }

  /** A handful of frames with random opcode, FIN, reserved bits, mask bit and payload. */
  private static void randomFrames(int port, Random random) throws IOException {
    try (RawWebSocket ws = new RawWebSocket(port, "/ws")) {
      int n = 1 + random.nextInt(6);
      for (int i = 0; i < n; i++) {
        int firstByte = (random.nextBoolean() ? 0x80 : 0) | (random.nextInt(8) == 0 ? 0x70 & random.nextInt() : 0)
            | random.nextInt(16);
        byte[] payload = new byte[random.nextInt(8) == 0 ? 5000 : random.nextInt(200)];
        random.nextBytes(payload);
        if (random.nextBoolean()) {
          payload = "valid text é".repeat(1 + random.nextInt(5)).getBytes(StandardCharsets.UTF_8);
        }
        ws.sendBytes(RawWebSocket.frame(firstByte, random.nextInt(10) != 0, payload));
      }
    }
  }

  /** A handshake cut off part way, sometimes left open for the handshake timeout to end. */
  private static void truncatedHandshake(int port, Random random, List<Socket> leftOpen) throws IOException {
    String full = RawHttp.upgrade("GET", "/ws", "HTTP/1.1", RawHttp.KEY_AND_VERSION);
    byte[] bytes = full.getBytes(StandardCharsets.US_ASCII);
    Socket s = new Socket("127.0.0.1", port);
    OutputStream out = s.getOutputStream();
    out.write(bytes, 0, random.nextInt(bytes.length - 1));
    out.flush();
    if (random.nextInt(20) == 0) {
      leftOpen.add(s); // left open and silent: the node's handshake timeout must close it
      return;
    }
    s.close();
  }

  private static long liveHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
