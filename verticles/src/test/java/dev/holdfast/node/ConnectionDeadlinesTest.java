package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handshake timeout, the idle ping with its pong deadline, and the slow-reader bounds, each
 * observed on real sockets against a node holding a control group, each both ways: the offender
 * is closed and counted under its own reason or code, the well-behaved variant stays.
 */
@ExtendWith(VertxExtension.class)
class ConnectionDeadlinesTest {

  private static final int CONTROL = 5;

  @Test
  void aHandshakeNotFinishedInTimeIsClosedAndCounted(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig().handshakeTimeout(Duration.ofSeconds(1)))) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      try (Socket slow = new Socket("127.0.0.1", node.port());
          RawWebSocket upgraded = new RawWebSocket(node.port(), "/ws")) {
        slow.setSoTimeout(10_000);
        slow.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = slow.getInputStream();
        assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
        assertThat(node.rejected("handshake_timeout")).isEqualTo(1);
        // the other way: an upgraded connection is not subject to it, however long it is held
        JsonObject c = node.connectionsWhen(s -> true);
        assertThat(c.getLong("held")).isEqualTo(CONTROL + 1);
        upgraded.send(RawWebSocket.TEXT, true, "still open".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(upgraded.read().payload(), StandardCharsets.UTF_8)).isEqualTo("still open");
      }
      control.assertAllEcho();
    }
  }

  @Test
  void aQuietConnectionIsPingedAndClosedWith1001WithoutAPong(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig().pingAfter(Duration.ofMillis(500)).pongTimeout(Duration.ofMillis(300));
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL); // Vert.x answers pings itself
      try (RawWebSocket deaf = new RawWebSocket(node.port(), "/ws");
          RawWebSocket answering = new RawWebSocket(node.port(), "/ws")) {
        for (int i = 0; i < 3; i++) { // the other way: three rounds of ping and pong, and still open
          RawWebSocket.Frame ping = answering.read();
          assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
          answering.send(RawWebSocket.PONG, true, ping.payload());
        }
        answering.send(RawWebSocket.TEXT, true, "alive".getBytes(StandardCharsets.UTF_8));
        RawWebSocket.Frame f = answering.read();
        while (f.opcode() == RawWebSocket.PING) {
          f = answering.read();
        }
        assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("alive");
        // meanwhile the connection that never answered got its ping, then 1001 (both wait in its socket)
        assertThat(deaf.read().opcode()).isEqualTo(RawWebSocket.PING);
        RawWebSocket.Frame close = deaf.read();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1001);
      }
      JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1001") == 1);
      assertThat(node.closedWith(c, "1001")).isEqualTo(1);
      control.assertAllEcho();
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedWith1008AfterTheStallTimeout(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig().writeBufferHighBytes(16_384).maxOutboundBytes(64 << 20)
        .outboundStallTimeout(Duration.ofSeconds(1));
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      try (RawWebSocket fast = new RawWebSocket(node.port(), "/ws")) {
        floodWithoutReading(node);
        // the other way: the same volume from a client that reads its echoes is never cut off
        byte[] frame = new byte[60_000];
        for (int i = 0; i < 200; i++) {
          fast.send(RawWebSocket.BINARY, true, frame);
          assertThat(fast.read().payload()).hasSize(frame.length);
        }
      }
      JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1008") == 1 && s.getLong("held") == CONTROL);
      assertThat(node.closedWith(c, "1008")).isEqualTo(1);
      control.assertAllEcho();
    }
  }

  @Test
  void aClientOverTheOutboundLimitIsClosedWith1008AtOnce(Vertx vertx) throws Exception {
    // the smallest limit allowed: one frame over the high water mark, and no stall timeout to help
    NodeConfig config = new NodeConfig().writeBufferHighBytes(16_384).maxOutboundBytes(65_536 + 16_384)
        .outboundStallTimeout(Duration.ZERO);
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      floodWithoutReading(node);
      JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1008") == 1 && s.getLong("held") == CONTROL);
      assertThat(node.closedWith(c, "1008")).isEqualTo(1);
      control.assertAllEcho();
    }
  }

  /** Sends 60 KB frames and never reads, until the node cuts the connection (at most 2,000 frames). */
  private static void floodWithoutReading(NodeUnderTest node) throws Exception {
    AtomicInteger sent = new AtomicInteger();
    try (RawWebSocket slow = new RawWebSocket(node.port(), "/ws")) {
      Thread writer = new Thread(() -> {
        byte[] frame = new byte[60_000];
        try {
          for (int i = 0; i < 2000; i++) {
            slow.send(RawWebSocket.BINARY, true, frame);
            sent.incrementAndGet();
          }
        } catch (Exception e) {
          // the node closed the connection: what the test waits for
        }
      }, "slow-reader-writer");
      writer.setDaemon(true);
      writer.start();
      JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1008") == 1);
      assertThat(node.closedWith(c, "1008")).as("closed with 1008 after %d frames sent", sent.get()).isEqualTo(1);
    }
  }
}
