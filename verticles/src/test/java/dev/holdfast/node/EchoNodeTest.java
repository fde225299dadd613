package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.os.KernelSockets;
import dev.holdfast.os.SocketFilter;
import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.role.RoleRuntime;
import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The echo node against real sockets on loopback: echo, protocol errors, admission, truthful counts. */
@ExtendWith(VertxExtension.class)
class EchoNodeTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Vertx> nodeVertx = new ArrayList<>();
  private EchoNode node;

  private EchoNode start(NodeConfig config) throws Exception {
    config.port(FreePorts.belowEphemeralRange()).adminPort(0).cluster().enabled(false);
    RoleRuntime runtime = RoleBootstrap.start(EchoNode.roleOptions(config)).await(20, TimeUnit.SECONDS);
    nodeVertx.add(runtime.vertx());
    node = EchoNode.launch(config, runtime, router -> { }).await(20, TimeUnit.SECONDS);
    return node;
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (Vertx v : nodeVertx) {
      v.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static WebSocketClient client(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
  }

  private WebSocket connect(WebSocketClient client) throws Exception {
    return client.connect(node.port(), "127.0.0.1", "/ws").await(10, TimeUnit.SECONDS);
  }

  /** {@code /status} with a fresh kernel count: these tests compare it with the node's own. */
  private JsonObject status() throws Exception {
    return status("/status?fresh=true");
  }

  private JsonObject status(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private JsonObject statusUnchecked() {
    try {
      return status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void echoesTextAndBinaryUnchanged(Vertx vertx) throws Exception {
    start(new NodeConfig());
    WebSocket ws = connect(client(vertx));
    Promise<String> text = Promise.promise();
    Promise<Buffer> binary = Promise.promise();
    ws.textMessageHandler(text::tryComplete);
    ws.binaryMessageHandler(binary::tryComplete);
    ws.writeTextMessage("héllo, holdfast");
    Buffer bytes = Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xC3, 0x28});
    ws.writeBinaryMessage(bytes);
    assertThat(text.future().await(5, TimeUnit.SECONDS)).isEqualTo("héllo, holdfast");
    assertThat(binary.future().await(5, TimeUnit.SECONDS)).isEqualTo(bytes);
    assertThat(node.messages()).isEqualTo(2);
  }

  @Test
  void answersPingsAndEchoesFragmentsAsSent() throws Exception {
    start(new NodeConfig());
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      assertThat(ws.statusLine).contains("101");
      ws.send(RawWebSocket.PING, true, "are you there".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = ws.read();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");

      ws.send(RawWebSocket.TEXT, false, "frag".getBytes(StandardCharsets.UTF_8));
      ws.send(RawWebSocket.CONTINUATION, true, "ments".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame first = ws.read();
      RawWebSocket.Frame last = ws.read();
      assertThat(first.opcode()).isEqualTo(RawWebSocket.TEXT);
      assertThat(first.fin()).isFalse();
      assertThat(last.opcode()).isEqualTo(RawWebSocket.CONTINUATION);
      assertThat(last.fin()).isTrue();
      assertThat(new String(first.payload(), StandardCharsets.UTF_8) + new String(last.payload(), StandardCharsets.UTF_8))
          .isEqualTo("fragments");
    }
  }

  @Test
  void anOversizedFrameClosesOnlyItsOwnConnectionWith1009(Vertx vertx) throws Exception {
    start(new NodeConfig().maxFrameBytes(1024).maxMessageBytes(2048));
    WebSocket bystander = connect(client(vertx));
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.BINARY, true, new byte[1025]);
      assertClosedBy(ws, 1009);
    }
    assertOnlyOffendersClosed(bystander, 1009, 1);
  }

  /** The server sent {@code ws} a close frame with {@code code}, then closed the TCP connection. */
  private static void assertClosedBy(RawWebSocket ws, int code) throws Exception {
    RawWebSocket.Frame close = ws.read();
    assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
    assertThat(close.closeCode()).isEqualTo(code);
    assertThat(ws.serverClosed()).isTrue();
  }

  /** The bystander still echoes, the node counted {@code offenders} closes with {@code code}, and holds only it. */
  private void assertOnlyOffendersClosed(WebSocket bystander, int code, long offenders) throws Exception {
    Promise<String> echo = Promise.promise();
    bystander.textMessageHandler(echo::tryComplete);
    bystander.writeTextMessage("still here");
    assertThat(echo.future().await(5, TimeUnit.SECONDS)).isEqualTo("still here");
    String label = Integer.toString(code);
    JsonObject closed = Eventually.poll(DEADLINE, this::statusUnchecked,
        s -> s.getJsonObject("connections").getJsonObject("closedByCode").getLong(label) == offenders);
    assertThat(closed.getJsonObject("connections").getJsonObject("closedByCode").getLong(label)).isEqualTo(offenders);
    assertThat(closed.getJsonObject("connections").getLong("held")).isEqualTo(1);
  }

  @Test
  void protocolErrorsCloseOnlyTheirOwnConnectionWith1002(Vertx vertx) throws Exception {
    start(new NodeConfig()); // no compression negotiated: a reserved bit has no meaning
    WebSocket bystander = connect(client(vertx));
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    try (RawWebSocket reservedBit = new RawWebSocket(node.port(), "/ws");
        RawWebSocket unmasked = new RawWebSocket(node.port(), "/ws")) {
      reservedBit.sendFrame(0x80 | RawWebSocket.RSV1 | RawWebSocket.TEXT, true, hello);
      unmasked.sendFrame(0x80 | RawWebSocket.TEXT, false, hello); // a client must mask every frame
      assertClosedBy(reservedBit, 1002);
      assertClosedBy(unmasked, 1002);
    }
    assertOnlyOffendersClosed(bystander, 1002, 2);
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesWith1009() throws Exception {
    start(new NodeConfig().maxFrameBytes(1024).maxMessageBytes(2048));
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.BINARY, false, new byte[1000]);
      ws.send(RawWebSocket.CONTINUATION, false, new byte[1000]);
      ws.send(RawWebSocket.CONTINUATION, true, new byte[1000]);
      RawWebSocket.Frame f = ws.read();
      while (f.opcode() != RawWebSocket.CLOSE) {
        f = ws.read(); // the fragments under the limit were echoed first
      }
      assertThat(f.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void invalidUtf8InATextFrameClosesWith1007() throws Exception {
    start(new NodeConfig());
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.TEXT, true, new byte[] {(byte) 0xC3, 0x28});
      RawWebSocket.Frame close = ws.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void aClientCloseIsEchoedAndCountedByItsCode() throws Exception {
    start(new NodeConfig());
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/ws")) {
      ws.send(RawWebSocket.CLOSE, true, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'}); // 4000 "bye"
      RawWebSocket.Frame close = ws.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(4000);
      assertThat(ws.serverClosed()).isTrue();
    }
    JsonObject s = Eventually.poll(DEADLINE, this::statusUnchecked,
        st -> st.getJsonObject("connections").getLong("closed") == 1);
    assertThat(s.getJsonObject("connections").getJsonObject("closedByCode").getLong("other")).isEqualTo(1);
  }

  @Test
  void overTheCapTheHandshakeGets503WithRetryAfter(Vertx vertx) throws Exception {
    start(new NodeConfig().maxConnections(3));
    WebSocketClient client = client(vertx);
    for (int i = 0; i < 3; i++) {
      connect(client);
    }
    Future<WebSocket> fourth = client.connect(node.port(), "127.0.0.1", "/ws");
    assertThatThrownBy(() -> fourth.await(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
          assertThat(e.getStatus()).isEqualTo(503);
          assertThat(e.getHeaders().get("Retry-After")).isEqualTo("1");
        });
    JsonObject s = status();
    assertThat(s.getJsonObject("connections").getLong("held")).isEqualTo(3);
    assertThat(s.getJsonObject("connections").getJsonObject("rejectedByReason").getLong("capacity")).isEqualTo(1);
    assertThat(s.getJsonObject("limits").getLong("maxConnections")).isEqualTo(3);
  }

  @Test
  void wrongPathsAndPlainRequestsAreRefused() throws Exception {
    start(new NodeConfig());
    try (RawWebSocket ws = new RawWebSocket(node.port(), "/elsewhere")) {
      assertThat(ws.statusLine).contains("404");
    }
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.port() + "/ws")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("expected a WebSocket upgrade");
    JsonObject byReason = status().getJsonObject("connections").getJsonObject("rejectedByReason");
    assertThat(byReason.getLong("not_found")).isEqualTo(1);
    assertThat(byReason.getLong("bad_request")).isEqualTo(1);
  }

  @Test
  void heldEqualsTheKernelsCountAndReturnsToZero(Vertx vertx) throws Exception {
    start(new NodeConfig().instances(2));
    WebSocketClient client = client(vertx);
    int n = 300;
    List<Future<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opening.add(client.connect(node.port(), "127.0.0.1", "/ws"));
    }
    List<WebSocket> sockets = new ArrayList<>();
    for (Future<WebSocket> f : opening) {
      sockets.add(f.await(20, TimeUnit.SECONDS));
    }
    JsonObject s = Eventually.poll(DEADLINE, this::statusUnchecked,
        st -> st.getJsonObject("os").getLong("established") == n);
    assertThat(s.getJsonObject("connections").getLong("held")).isEqualTo(n);
    assertThat(s.getJsonObject("os").getLong("established")).isEqualTo(n);
    assertThat(s.getJsonObject("os").getString("method")).isEqualTo(KernelSockets.system().method(SocketFilter.localPorts(1).ownedByThisProcess()));
    assertThat(s.getJsonObject("connections").getLong("opened")).isEqualTo(n);

    for (WebSocket ws : sockets) {
      ws.close();
    }
    JsonObject after = Eventually.poll(DEADLINE, this::statusUnchecked,
        st -> st.getJsonObject("os").getLong("established") == 0 && st.getJsonObject("connections").getLong("held") == 0);
    assertThat(after.getJsonObject("connections").getLong("held")).isZero();
    assertThat(after.getJsonObject("os").getLong("established")).isZero();
    assertThat(after.getJsonObject("connections").getLong("closed")).isEqualTo(n);
    assertThat(after.getJsonObject("connections").getJsonObject("closedByCode").getLong("1000")).isEqualTo(n);
  }

  @Test
  void statusShowsTheLastPeriodicCountAndItsAgeUnlessAskedForAFreshOne(Vertx vertx) throws Exception {
    start(new NodeConfig().osCountInterval(Duration.ofHours(1))); // one count at the start, then none by itself
    Eventually.poll(DEADLINE, node::osEstablished, n -> n >= 0); // the start's count is shown
    long before = node.osCounter().counts();
    WebSocket ws = connect(client(vertx));
    assertThat(ws.isClosed()).isFalse();

    for (int i = 0; i < 5; i++) {
      JsonObject os = status("/status").getJsonObject("os");
      assertThat(os.getBoolean("fresh")).isFalse();
      assertThat(os.getLong("established")).as("the count from before the connection").isZero();
      assertThat(os.getLong("ageMs")).isNotNegative();
      assertThat(os.getLong("countedAtMs")).isPositive();
      assertThat(os.getLong("intervalMs")).isEqualTo(Duration.ofHours(1).toMillis());
    }
    assertThat(node.osCounter().counts()).as("kernel counts after five plain /status reads").isEqualTo(before);

    JsonObject fresh = status("/status?fresh=true").getJsonObject("os");
    assertThat(fresh.getBoolean("fresh")).isTrue();
    assertThat(fresh.getLong("established")).isEqualTo(1);
    assertThat(node.osCounter().counts()).isEqualTo(before + 1);
    // the fresh count is the one shown from now on
    JsonObject after = status("/status").getJsonObject("os");
    assertThat(after.getLong("established")).isEqualTo(1);
    assertThat(after.getLong("countedAtMs")).isEqualTo(fresh.getLong("countedAtMs"));
    assertThat(get("/metrics")).contains("holdfast_os_count_age_seconds{");
  }

  @Test
  void statusAndMetricsTellTheSameStory(Vertx vertx) throws Exception {
    start(new NodeConfig().nodeId("metrics-node"));
    WebSocket ws = connect(client(vertx));
    Promise<String> echo = Promise.promise();
    ws.textMessageHandler(echo::tryComplete);
    ws.writeTextMessage("12345");
    echo.future().await(5, TimeUnit.SECONDS);

    JsonObject s = status();
    assertThat(s.getString("nodeId")).isEqualTo("metrics-node");
    assertThat(s.getString("wsUrl")).isEqualTo("ws://127.0.0.1:" + node.port() + "/ws");
    assertThat(s.getJsonObject("connections").getLong("held")).isEqualTo(1);
    assertThat(s.getJsonObject("limits").getLong("openFiles")).isPositive();

    String metrics = Eventually.poll(DEADLINE, () -> get("/metrics"),
        m -> m.contains("holdfast_os_established_connections{node=\"metrics-node\",role=\"node\"} 1.0"));
    assertThat(metrics)
        .contains("holdfast_connections_held{node=\"metrics-node\",role=\"node\"} 1.0")
        .contains("holdfast_os_established_connections{node=\"metrics-node\",role=\"node\"} 1.0")
        .contains("holdfast_os_count_method{method=\"" + KernelSockets.system().method(SocketFilter.localPorts(1).ownedByThisProcess()) + "\",node=\"metrics-node\",role=\"node\"} 1.0")
        .contains("holdfast_os_counts_missed_total{node=\"metrics-node\",role=\"node\"} 0.0")
        .contains("holdfast_os_count_duration_seconds_total{node=\"metrics-node\",role=\"node\"}")
        .contains("holdfast_os_count_cpu_seconds_total{node=\"metrics-node\",role=\"node\"}")
        .contains("holdfast_connections_opened_total{node=\"metrics-node\",role=\"node\"} 1.0")
        .contains("holdfast_messages_echoed_total{node=\"metrics-node\",role=\"node\"} 1.0")
        .contains("holdfast_echoed_bytes_total{node=\"metrics-node\",role=\"node\"} 5.0")
        .contains("holdfast_connections_rejected_total{node=\"metrics-node\",reason=\"capacity\",role=\"node\"} 0.0")
        .contains("holdfast_connections_closed_total{code=\"1000\",node=\"metrics-node\",role=\"node\"} 0.0")
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes");
    assertThat(get("/health")).contains("UP");
    assertThat(get("/ready")).contains("true");
  }

  @Test
  void stopClosesEveryConnectionWith1001(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig().instances(2);
    config.drain().window(Duration.ofSeconds(1));
    start(config);
    WebSocketClient client = client(vertx);
    List<Promise<Short>> codes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      WebSocket ws = connect(client);
      Promise<Short> code = Promise.promise();
      ws.closeHandler(v -> code.tryComplete(ws.closeStatusCode()));
      codes.add(code);
    }
    node.stop().await(20, TimeUnit.SECONDS);
    for (Promise<Short> code : codes) {
      assertThat(code.future().await(5, TimeUnit.SECONDS)).isEqualTo((short) 1001);
    }
    assertThat(node.held()).isZero();
    assertThat(node.ready()).isFalse();
  }

  @Test
  void aCapAboveTheOpenFileLimitIsAStartError() throws Exception {
    NodeConfig config = new NodeConfig().maxConnections(10_000_000).port(0).adminPort(0);
    config.cluster().enabled(false);
    RoleRuntime runtime = RoleBootstrap.start(EchoNode.roleOptions(config)).await(20, TimeUnit.SECONDS);
    nodeVertx.add(runtime.vertx());
    assertThatThrownBy(() -> EchoNode.launch(config, runtime, r -> { }).await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("$.maxConnections: 10000000 is more than this process can hold")
        .hasMessageContaining("open-file limit is");
  }

  private String get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }
}
