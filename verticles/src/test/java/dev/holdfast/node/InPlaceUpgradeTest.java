package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upgrade read in place, on real sockets against a node holding a control group: a request
 * cut into pieces across reads, a first frame sent right behind the request, headers in odd case
 * and spacing, repeated headers, oversized heads sent in pieces, and the per-message deflate path
 * that still goes through Netty's HTTP codec.
 */
@ExtendWith(VertxExtension.class)
class InPlaceUpgradeTest {

  private static final int CONTROL = 5;
  /** RFC 6455, 1.3's example: this key's Sec-WebSocket-Accept. */
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String request(String headerLines) {
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "\r\n";
  }

  private static final String UPGRADE_LINES = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
      + "\r\nSec-WebSocket-Version: 13\r\n";

  /** The request in runs of {@code size} bytes, each its own write. */
  private static List<byte[]> pieces(byte[] all, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < all.length; i += size) {
      out.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + size)));
    }
    return out;
  }

  private static void assertEchoes(RawWebSocket ws, String text) throws Exception {
    ws.send(RawWebSocket.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(ws.read().payload(), StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void aRequestCutIntoPiecesIsUpgradedWithTheRightAccept(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig())) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      for (int size : new int[] {1, 7, 40}) {
        try (RawWebSocket ws = new RawWebSocket(node.port(), pieces(ascii(request(UPGRADE_LINES)), size))) {
          assertThat(ws.statusLine).as("pieces of %d bytes", size).isEqualTo("HTTP/1.1 101 Switching Protocols");
          assertThat(ws.headers).containsEntry("sec-websocket-accept", ACCEPT)
              .containsEntry("upgrade", "websocket").containsEntry("connection", "upgrade");
          assertEchoes(ws, "after " + size + "-byte pieces");
        }
      }
      control.assertAllEcho();
    }
  }

  @Test
  void aFirstFrameSentWithTheRequestIsEchoedAfterThe101(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig())) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      byte[] head = ascii(request(UPGRADE_LINES));
      byte[] first = RawWebSocket.frame(0x80 | RawWebSocket.TEXT, true, ascii("first"));
      byte[] second = RawWebSocket.frame(0x80 | RawWebSocket.BINARY, true, new byte[] {1, 2, 3});
      byte[] together = new byte[head.length + first.length + second.length];
      System.arraycopy(head, 0, together, 0, head.length);
      System.arraycopy(first, 0, together, head.length, first.length);
      System.arraycopy(second, 0, together, head.length + first.length, second.length);
      try (RawWebSocket ws = new RawWebSocket(node.port(), List.of(together))) {
        assertThat(ws.statusLine).contains("101");
        assertThat(new String(ws.read().payload(), StandardCharsets.US_ASCII)).isEqualTo("first");
        RawWebSocket.Frame binary = ws.read();
        assertThat(binary.opcode()).isEqualTo(RawWebSocket.BINARY);
        assertThat(binary.payload()).containsExactly(1, 2, 3);
      }
      // a first frame with invalid UTF-8 right behind the request still fails with 1007
      byte[] bad = RawWebSocket.frame(0x80 | RawWebSocket.TEXT, true, new byte[] {'a', (byte) 0xFF});
      byte[] badTogether = Arrays.copyOf(head, head.length + bad.length);
      System.arraycopy(bad, 0, badTogether, head.length, bad.length);
      try (RawWebSocket ws = new RawWebSocket(node.port(), List.of(badTogether))) {
        assertThat(ws.statusLine).contains("101");
        assertThat(ws.read().closeCode()).isEqualTo(1007);
      }
      control.assertAllEcho();
    }
  }

  @Test
  void headerCaseSpacingListsAndRepeatsAreReadAsNettyReadsThem(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig())) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      String odd = "upgrade: websocket\r\nconnection: keep-alive, Upgrade\r\nsec-websocket-KEY:\t " + KEY
          + "  \r\nSEC-WEBSOCKET-VERSION:13\r\n";
      try (RawWebSocket ws = new RawWebSocket(node.port(), List.of(ascii(request(odd))))) {
        assertThat(ws.statusLine).contains("101");
        assertThat(ws.headers).containsEntry("sec-websocket-accept", ACCEPT);
        assertEchoes(ws, "odd but valid");
      }
      String splitLists = "Upgrade: h2c\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nConnection: upgrade\r\n"
          + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n";
      assertThat(RawHttp.exchange(node.port(), request(splitLists)).status()).as("tokens in repeated headers")
          .isEqualTo(101);
      assertThat(RawHttp.exchange(node.port(), request(UPGRADE_LINES + "Sec-WebSocket-Key: " + KEY + "\r\n")).status())
          .as("two keys").isEqualTo(400);
      RawHttp.Response twoVersions = RawHttp.exchange(node.port(), request(UPGRADE_LINES + "Sec-WebSocket-Version: 13\r\n"));
      assertThat(twoVersions.status()).as("two versions").isEqualTo(426);
      assertThat(twoVersions.headers()).containsEntry("sec-websocket-version", "13");
      assertThat(RawHttp.exchange(node.port(), request(UPGRADE_LINES.replace("Upgrade: websocket", "Upgrade : websocket")))
          .status()).as("space before the colon").isEqualTo(400);
      assertThat(RawHttp.exchange(node.port(), request(UPGRADE_LINES + "Content-Length: 2\r\n") + "xx").status())
          .as("a body").isEqualTo(400);
      assertThat(node.rejected("bad_request")).isEqualTo(4);
      control.assertAllEcho();
    }
  }

  @Test
  void oversizedHeadsSentInPiecesGet431Or414(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig())) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      String huge = request(UPGRADE_LINES + "X-Padding: " + "a".repeat(9000) + "\r\n");
      try (RawWebSocket ws = new RawWebSocket(node.port(), pieces(ascii(huge), 1000))) {
        assertThat(ws.statusLine).startsWith("HTTP/1.1 431");
      }
      // a header that never ends is refused once it is past what any head within the limits can take
      byte[] endless = ascii("GET /ws HTTP/1.1\r\nX-Padding: " + "a".repeat(UpgradeRequestParser.MAX_HEAD_BYTES));
      try (RawWebSocket ws = new RawWebSocket(node.port(), pieces(endless, 4000))) {
        assertThat(ws.statusLine).startsWith("HTTP/1.1 431");
      }
      // sized so that the last piece is the one that breaks the limit: nothing is left unread to reset the answer
      byte[] longLine = ascii("GET /" + "a".repeat(4995));
      try (RawWebSocket ws = new RawWebSocket(node.port(), pieces(longLine, 1000))) {
        assertThat(ws.statusLine).startsWith("HTTP/1.1 414");
      }
      assertThat(node.rejected("bad_request")).isEqualTo(3);
      control.assertAllEcho();
    }
  }

  @Test
  void withDeflateTheHttpCodecPathNegotiatesItAndRefusesTheSameWay(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig().compression(true))) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL);
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setTryUsePerMessageCompression(true));
      WebSocket ws = client.connect(new WebSocketConnectOptions().setPort(node.port()).setHost("127.0.0.1")
          .setURI("/ws")).await(10, TimeUnit.SECONDS);
      assertThat(ws.headers().get("sec-websocket-extensions")).contains("permessage-deflate");
      String text = "compressed ".repeat(50);
      Promise<String> echoed = Promise.promise();
      ws.textMessageHandler(echoed::tryComplete);
      ws.writeTextMessage(text);
      assertThat(echoed.future().await(10, TimeUnit.SECONDS)).isEqualTo(text);
      ws.close().await(10, TimeUnit.SECONDS);
      RawHttp.Response notFound = RawHttp.exchange(node.port(), RawHttp.upgrade("GET", "/elsewhere", "HTTP/1.1",
          RawHttp.KEY_AND_VERSION));
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.headers()).containsEntry("connection", "close");
      assertThat(RawHttp.exchange(node.port(), RawHttp.upgrade("GET", "/ws", "HTTP/1.1", RawHttp.KEY_AND_VERSION
          + "X-Padding: " + "a".repeat(9000) + "\r\n")).status()).isEqualTo(431);
      assertThat(node.rejected("not_found")).isEqualTo(1);
      control.assertAllEcho();
    }
  }
}
