package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Well-behaved connections held on a node while a test attacks it: afterwards every one of them
 * must still be open and echoing, which is how a test shows that a bad client cost only its own
 * connection.
 */
final class ControlGroup {

  private final List<WebSocket> sockets = new ArrayList<>();

  private ControlGroup() {
  }

  /** Opens {@code n} connections to the node's port with Vert.x's client. */
  static ControlGroup open(Vertx vertx, int port, int n) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
    ControlGroup g = new ControlGroup();
    List<Future<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opening.add(client.connect(port, "127.0.0.1", "/ws"));
    }
    for (Future<WebSocket> f : opening) {
      g.sockets.add(f.await(20, TimeUnit.SECONDS));
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
      assertThat(ws.isClosed()).as("control connection %d closed", i).isFalse();
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
