package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  @Test
  void everyFieldHasADefault() {
    NodeConfig c = NodeConfig.fromJson(new JsonObject());
    assertThat(c.port()).isEqualTo(NodeConfig.DEFAULT_PORT);
    assertThat(c.path()).isEqualTo("/ws");
    assertThat(c.adminHost()).isEqualTo("127.0.0.1");
    assertThat(c.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.maxConnections()).isZero();
    assertThat(c.compression()).isFalse();
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().config()).isEqualTo("loopback");
  }

  @Test
  void readsEveryField() {
    NodeConfig c = NodeConfig.fromJson(new JsonObject()
        .put("nodeId", "n1").put("host", "0.0.0.0").put("port", 20001).put("path", "/echo")
        .put("advertiseHost", "10.1.2.3").put("adminPort", 20002).put("instances", 4).put("maxConnections", 500)
        .put("compression", true).put("maxFrameBytes", 4096).put("maxMessageBytes", 8192)
        .put("retryAfter", "5s").put("closeTimeout", "2s")
        .put("cluster", new JsonObject().put("enabled", false).put("publishInterval", "500ms")));
    assertThat(c.nodeId()).isEqualTo("n1");
    assertThat(c.urlHost()).isEqualTo("10.1.2.3");
    assertThat(c.port()).isEqualTo(20001);
    assertThat(c.instances()).isEqualTo(4);
    assertThat(c.maxConnections()).isEqualTo(500);
    assertThat(c.compression()).isTrue();
    assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.cluster().publishInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void errorsNameTheJsonPath() {
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("maxConections", 5)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("$.maxConections: unknown field");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("port", "8080")))
        .hasMessage("$.port: \"8080\" is not allowed; use a whole number from 0 to 65535");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("path", "ws")))
        .hasMessageStartingWith("$.path: \"ws\" is not allowed");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("cluster", new JsonObject().put("ttl", 3))))
        .hasMessageStartingWith("$.cluster.ttl: unknown field");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("maxFrameBytes", 4096).put("maxMessageBytes", 1000)))
        .hasMessageStartingWith("$.maxMessageBytes: 1000 is not allowed");
  }
}
