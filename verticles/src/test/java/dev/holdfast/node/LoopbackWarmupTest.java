package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.role.RoleRuntime;
import dev.holdfast.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The warm-up makes real loopback handshakes and echoes, and the node never counts them as its own. */
class LoopbackWarmupTest {

  private final List<RoleRuntime> runtimes = new CopyOnWriteArrayList<>();

  private RoleRuntime runtime(NodeConfig config) throws Exception {
    RoleRuntime r = RoleBootstrap.start(EchoNode.roleOptions(config)).await(20, TimeUnit.SECONDS);
    runtimes.add(r);
    return r;
  }

  @AfterEach
  void close() throws Exception {
    for (RoleRuntime r : runtimes) {
      r.vertx().close().await(20, TimeUnit.SECONDS);
    }
  }

  private static NodeConfig config() {
    NodeConfig c = new NodeConfig().instances(2);
    c.cluster().enabled(false);
    return c;
  }

  @Test
  void everyHandshakeUpgradesAndEveryMessageComesBack() throws Exception {
    NodeConfig config = config();
    config.warmup().connections(150).messages(3);
    LoopbackWarmup.Result r = LoopbackWarmup.run(runtime(config).vertx(), config).await(60, TimeUnit.SECONDS);
    assertThat(r.upgraded()).isEqualTo(150);
    assertThat(r.echoed()).isEqualTo(450);
    assertThat(r.failed()).isZero();
    assertThat(r.timedOut()).isFalse();
  }

  @Test
  void itSendsTheOriginAndTokenTheNodeRequires() throws Exception {
    NodeConfig config = config().allowedOrigins(List.of("https://app.example")).tokenSecret("s".repeat(32))
        .tokenAudience("echo");
    config.warmup().connections(40).messages(1);
    LoopbackWarmup.Result r = LoopbackWarmup.run(runtime(config).vertx(), config).await(60, TimeUnit.SECONDS);
    assertThat(r.upgraded()).as("a 403 or 401 would leave handshakes not upgraded").isEqualTo(40);
    assertThat(r.echoed()).isEqualTo(40);
  }

  @Test
  void itStopsAtItsTimeoutAndTheNodeStartsAnyway() throws Exception {
    NodeConfig config = config();
    config.warmup().connections(1_000_000).messages(1).timeout(Duration.ofMillis(300));
    LoopbackWarmup.Result r = LoopbackWarmup.run(runtime(config).vertx(), config).await(60, TimeUnit.SECONDS);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.upgraded()).isLessThan(1_000_000);
  }

  @Test
  void offMeansNoWarmup() throws Exception {
    NodeConfig config = config();
    config.warmup().enabled(false);
    assertThat(LoopbackWarmup.run(runtime(config).vertx(), config).await(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aNodeThatWarmedUpCountsOnlyRealConnections() throws Exception {
    NodeConfig config = config().port(FreePorts.belowEphemeralRange()).adminPort(0);
    config.warmup().connections(120).messages(2);
    List<String> logged = new CopyOnWriteArrayList<>();
    Logger log = Logger.getLogger(LoopbackWarmup.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    log.addHandler(capture);
    EchoNode node;
    RoleRuntime runtime = runtime(config);
    try {
      node = EchoNode.launch(config, runtime, r -> { }).await(60, TimeUnit.SECONDS);
    } finally {
      log.removeHandler(capture);
    }
    assertThat(logged).anySatisfy(m -> assertThat(m).startsWith("warm-up: 120 of 120 loopback handshakes upgraded, 240 echoes, in "));
    JsonObject before = node.status(0).getJsonObject("connections");
    assertThat(before.getLong("opened")).isZero();
    assertThat(before.getLong("closed")).isZero();
    assertThat(before.getLong("rejected")).isZero();
    assertThat(node.messages()).isZero();

    Vertx vertx = runtime.vertx();
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(node.port(), "127.0.0.1", config.path()).await(20, TimeUnit.SECONDS);
    ws.writeTextMessage("real").await(20, TimeUnit.SECONDS);
    dev.holdfast.testing.Eventually.poll(Duration.ofSeconds(30), node::messages, n -> n == 1);
    assertThat(node.opened()).isEqualTo(1);
    assertThat(node.held()).isEqualTo(1);
    ws.close().await(20, TimeUnit.SECONDS);
  }
}
