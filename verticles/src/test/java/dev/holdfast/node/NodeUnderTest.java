package dev.holdfast.node;

import dev.holdfast.role.RoleBootstrap;
import dev.holdfast.role.RoleRuntime;
import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.FreePorts;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A standalone echo node started for one test on free ports, with its admin {@code /status} at hand. */
final class NodeUnderTest implements AutoCloseable {

  private static final Duration DEADLINE = Duration.ofSeconds(30); // generous: a loaded CI machine is slow, the wait ends as soon as the condition holds

  final EchoNode node;
  private final RoleRuntime runtime;
  private final HttpClient http = HttpClient.newHttpClient();

  private NodeUnderTest(RoleRuntime runtime, EchoNode node) {
    this.runtime = runtime;
    this.node = node;
  }

  static NodeUnderTest start(NodeConfig config) throws Exception {
    config.port(FreePorts.belowEphemeralRange()).adminPort(0).cluster().enabled(false);
    RoleRuntime runtime = RoleBootstrap.start(EchoNode.roleOptions(config)).await(20, TimeUnit.SECONDS);
    try {
      return new NodeUnderTest(runtime, EchoNode.launch(config, runtime, r -> { }).await(20, TimeUnit.SECONDS));
    } catch (Exception e) {
      runtime.vertx().close().await(20, TimeUnit.SECONDS);
      throw e;
    }
  }

  int port() {
    return node.port();
  }

  JsonObject status() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.adminPort() + "/status?fresh=true")).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (Exception e) {
      throw new AssertionError("the node's admin port did not answer", e);
    }
  }

  /** The connections section of {@code /status}, polled until {@code done} holds or the deadline passes. */
  JsonObject connectionsWhen(Predicate<JsonObject> done) {
    return Eventually.poll(DEADLINE, () -> status().getJsonObject("connections"), done);
  }

  long rejected(String reason) {
    return status().getJsonObject("connections").getJsonObject("rejectedByReason").getLong(reason);
  }

  long closedWith(JsonObject connections, String code) {
    return connections.getJsonObject("closedByCode").getLong(code);
  }

  @Override
  public void close() throws Exception {
    runtime.vertx().close().await(20, TimeUnit.SECONDS);
  }
}
