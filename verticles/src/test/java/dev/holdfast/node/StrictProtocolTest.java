package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Strict handshakes, close codes and fail-fast UTF-8, each against a node holding a control group:
 * the exact status or close code for the offender, the control group still echoing, and the
 * well-formed variant of each case still accepted.
 */
@ExtendWith(VertxExtension.class)
class StrictProtocolTest {

  private static final int CONTROL = 5;

  private NodeUnderTest node;
  private ControlGroup control;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    node = NodeUnderTest.start(new NodeConfig());
    control = ControlGroup.open(vertx, node.port(), CONTROL);
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
  }

  private RawHttp.Response upgrade(String method, String version, String headers) throws Exception {
    return RawHttp.exchange(node.port(), RawHttp.upgrade(method, "/ws", version, headers));
  }

  @Test
  void malformedHandshakesGetTheStatusThatSaysWhy() throws Exception {
    assertThat(upgrade("GET", "HTTP/1.1", "Sec-WebSocket-Version: 13\r\n").status()).isEqualTo(400); // no key
    assertThat(upgrade("GET", "HTTP/1.1", "Sec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 13\r\n").status())
        .isEqualTo(400);
    assertThat(upgrade("GET", "HTTP/1.1", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\nSec-WebSocket-Version: 13\r\n")
        .status()).as("15 bytes in base64").isEqualTo(400);
    RawHttp.Response noVersion = upgrade("GET", "HTTP/1.1", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    assertThat(noVersion.status()).isEqualTo(426);
    assertThat(noVersion.headers()).containsEntry("sec-websocket-version", "13");
    RawHttp.Response oldVersion = upgrade("GET", "HTTP/1.1",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n");
    assertThat(oldVersion.status()).isEqualTo(426);
    assertThat(oldVersion.headers()).containsEntry("sec-websocket-version", "13");
    RawHttp.Response post = upgrade("POST", "HTTP/1.1", RawHttp.KEY_AND_VERSION + "Content-Length: 0\r\n");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).containsEntry("allow", "GET");
    assertThat(upgrade("GET", "HTTP/1.0", RawHttp.KEY_AND_VERSION).status()).isEqualTo(505);
    String huge = "X-Padding: " + "a".repeat(9000) + "\r\n";
    assertThat(upgrade("GET", "HTTP/1.1", RawHttp.KEY_AND_VERSION + huge).status()).isEqualTo(431);
    assertThat(RawHttp.exchange(node.port(), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        + RawHttp.KEY_AND_VERSION + "\r\n").status()).as("no Connection: Upgrade").isEqualTo(400);

    // the same requests made well-formed are upgraded, with Connection and Upgrade in any case and list
    assertThat(upgrade("GET", "HTTP/1.1", RawHttp.KEY_AND_VERSION).status()).isEqualTo(101);
    assertThat(RawHttp.exchange(node.port(), "GET /ws?x=1 HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\n"
        + "Connection: keep-alive, upgrade\r\n" + RawHttp.KEY_AND_VERSION + "\r\n").status()).isEqualTo(101);

    assertThat(node.rejected("bad_request")).isEqualTo(9);
    control.assertAllEcho();
    assertThat(node.connectionsWhen(c -> c.getLong("held") == CONTROL).getLong("held")).isEqualTo(CONTROL);
  }

  @Test
  void closeCodesOutsideTheAllowedRangesFailWith1002() throws Exception {
    int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535};
    for (int code : invalid) {
      try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
        ws.send(RawWebSocket.CLOSE, true, new byte[] {(byte) (code >>> 8), (byte) code});
        RawWebSocket.Frame close = ws.read();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).as("answer to close code %d", code).isEqualTo(1002);
        assertThat(ws.serverClosed()).isTrue();
      }
    }
    int[] valid = {1000, 1003, 1007, 1014, 3000, 4999};
    for (int code : valid) {
      try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
        ws.send(RawWebSocket.CLOSE, true, new byte[] {(byte) (code >>> 8), (byte) code});
        assertThat(ws.read().closeCode()).as("answer to close code %d", code).isEqualTo(code);
      }
    }
    JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1002") == invalid.length
        && s.getLong("held") == CONTROL);
    assertThat(node.closedWith(c, "1002")).isEqualTo(invalid.length);
    control.assertAllEcho();
  }

  @Test
  void invalidUtf8FailsAsSoonAsTheByteArrivesEvenMidFrame() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      byte[] payload = new byte[100];
      Arrays.fill(payload, (byte) 'a');
      payload[10] = (byte) 0xFF;
      byte[] frame = RawWebSocket.frame(0x80 | RawWebSocket.TEXT, true, payload);
      ws.sendBytes(Arrays.copyOf(frame, 6 + 20)); // header, mask, 20 payload bytes: the frame is not complete
      RawWebSocket.Frame close = ws.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1007);
    }
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.TEXT, false, new byte[] {'k', (byte) 0xCE}); // valid so far: a character begins
      RawWebSocket.Frame first = ws.read();
      assertThat(first.fin()).isFalse();
      ws.send(RawWebSocket.CONTINUATION, false, new byte[] {'A'}); // not a continuation byte; message not final
      RawWebSocket.Frame close = ws.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1007);
    }
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.TEXT, false, new byte[] {'k', (byte) 0xC3});
      ws.send(RawWebSocket.CONTINUATION, true, new byte[0]); // the message ends inside a character
      RawWebSocket.Frame f = ws.read();
      while (f.opcode() != RawWebSocket.CLOSE) {
        f = ws.read();
      }
      assertThat(f.closeCode()).isEqualTo(1007);
    }
    // the other way: a character split across fragments and reads is valid and echoed whole
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.TEXT, false, new byte[] {'h', (byte) 0xC3});
      byte[] tail = RawWebSocket.frame(0x80 | RawWebSocket.CONTINUATION, true, new byte[] {(byte) 0xA9, '!'});
      ws.sendBytes(Arrays.copyOf(tail, 3));
      ws.sendBytes(Arrays.copyOfRange(tail, 3, tail.length));
      byte[] first = ws.read().payload();
      byte[] last = ws.read().payload();
      assertThat(new String(first, StandardCharsets.ISO_8859_1) + new String(last, StandardCharsets.ISO_8859_1))
          .isEqualTo(new String(new byte[] {'h', (byte) 0xC3, (byte) 0xA9, '!'}, StandardCharsets.ISO_8859_1));
    }
    JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1007") == 3 && s.getLong("held") == CONTROL);
    assertThat(node.closedWith(c, "1007")).isEqualTo(3);
    control.assertAllEcho();
  }
}
