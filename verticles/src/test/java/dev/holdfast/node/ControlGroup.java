package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Well-behaved connections held on a node while a test attacks it: afterwards every one of them
 * must still be open and echoing, which is how a test shows that a bad client cost only its own
 * connection.
 */
final class ControlGroup {

  private final List<WebSocket> sockets = new ArrayList<>();
  private final List<String> closes = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Kept so it stays reachable: Vert.x 5 closes a client, and all its WebSockets, once it is garbage. */
  private final WebSocketClient client;

  private ControlGroup(WebSocketClient client) {
    this.client = client;
  }

  /** Opens {@code n} connections to the node's port with Vert.x's client. */
  static ControlGroup open(Vertx vertx, int port, int n) throws Exception {
    return open(vertx, port, n, "127.0.0.1", Map.of());
  }

  /** Opens {@code n} connections from source address {@code from}, each handshake with these headers. */
  static ControlGroup open(Vertx vertx, int port, int n, String from, Map<String, String> headers) throws Exception {
    return open(vertx, new WebSocketClientOptions().setLocalAddress(from), port, n, headers);
  }

  /** Opens {@code n} connections with a client of these options (TLS, say), each handshake with these headers. */
  static ControlGroup open(Vertx vertx, WebSocketClientOptions options, int port, int n, Map<String, String> headers)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions(options).setMaxConnections(10_000));
    ControlGroup g = new ControlGroup(client);
    List<Future<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WebSocketConnectOptions connect = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws");
      headers.forEach(connect::addHeader);
      opening.add(client.connect(connect));
    }
    for (Future<WebSocket> f : opening) {
      WebSocket ws = f.await(20, TimeUnit.SECONDS);
      int index = g.sockets.size();
      ws.closeHandler(v -> g.closes.add(index + ": code " + ws.closeStatusCode() + " " + ws.closeReason()));
      ws.exceptionHandler(e -> g.closes.add(index + ": " + e));
      g.sockets.add(ws);
    }
    return g;
  }

  int size() {
    return sockets.size();
  }

  /** Every member is still open and echoes a fresh message. */
  void assertAllEcho() throws Exception {
    List<Future<String>> echoes = new ArrayList<>();
    for (int i = 0; i < sockets.size(); i++) {
      WebSocket ws = sockets.get(i);
      assertThat(ws.isClosed()).as("control connection %d closed: %s", i, closes).isFalse();
      Promise<String> echo = Promise.promise();
      ws.textMessageHandler(echo::tryComplete);
      String text = "control " + i + " " + System.nanoTime();
      ws.writeTextMessage(text);
      echoes.add(echo.future().map(t -> t.equals(text) ? t : "wrong echo: " + t));
    }
    for (Future<String> e : echoes) {
      assertThat(e.await(10, TimeUnit.SECONDS)).startsWith("control ");
    }
  }
}
