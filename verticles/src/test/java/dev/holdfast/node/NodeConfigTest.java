package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
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

  /** Every field of NodeConfig (and of its cluster object) set to something other than its default. */
  private static JsonObject everyField() {
    return new JsonObject()
        .put("nodeId", "n1").put("host", "0.0.0.0").put("port", 20001).put("path", "/echo")
        .put("advertiseHost", "10.1.2.3").put("adminHost", "0.0.0.0").put("adminPort", 20002)
        .put("instances", 999).put("maxConnections", 500).put("openFileReserve", 123)
        .put("compression", true).put("maxFrameBytes", 4096).put("maxMessageBytes", 8192)
        .put("retryAfter", "5s").put("closeTimeout", "2s").put("osCountInterval", "250ms")
        .put("handshakeTimeout", "2s").put("pingAfter", "30s").put("pongTimeout", "3s")
        .put("writeBufferHighBytes", 32_768).put("maxOutboundBytes", 100_000).put("outboundStallTimeout", "0s")
        .put("maxConnectionsPerAddress", 10).put("allowedOrigins", new JsonArray().add("https://a.example"))
        .put("tokenSecret", "k".repeat(32)).put("tokenAudience", "aud").put("tokenQueryParameter", "t")
        .put("adminToken", "admin")
        .put("tlsCertFile", "node.crt").put("tlsKeyFile", "node.key").put("tlsReloadInterval", "10s")
        .put("drain", new JsonObject().put("window", "3s").put("maxPerSecond", 400))
        .put("warmup", new JsonObject().put("enabled", false).put("connections", 50).put("messages", 1)
            .put("timeout", "5s"))
        .put("cluster", new JsonObject().put("enabled", false).put("config", "multicast").put("name", "c1")
            .put("publishInterval", "500ms").put("ttlIntervals", 7)
            .put("members", new io.vertx.core.json.JsonArray().add("198.18.0.11").add("198.18.0.12"))
            .put("interfaces", new io.vertx.core.json.JsonArray().add("198.18.0.*"))
            .put("heartbeatTimeout", "6s").put("mergeDelay", "5s"));
  }

  @Test
  void readsEveryField() {
    NodeConfig c = NodeConfig.fromJson(everyField());
    assertThat(c.nodeId()).isEqualTo("n1");
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(20001);
    assertThat(c.path()).isEqualTo("/echo");
    assertThat(c.urlHost()).isEqualTo("10.1.2.3");
    assertThat(c.adminHost()).isEqualTo("0.0.0.0");
    assertThat(c.adminPort()).isEqualTo(20002);
    assertThat(c.instances()).isEqualTo(999);
    assertThat(c.maxConnections()).isEqualTo(500);
    assertThat(c.openFileReserve()).isEqualTo(123);
    assertThat(c.compression()).isTrue();
    assertThat(c.maxFrameBytes()).isEqualTo(4096);
    assertThat(c.maxMessageBytes()).isEqualTo(8192);
    assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.osCountInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.drain().window()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.drain().maxPerSecond()).isEqualTo(400);
    assertThat(c.warmup().enabled()).isFalse();
    assertThat(c.warmup().connections()).isEqualTo(50);
    assertThat(c.warmup().messages()).isEqualTo(1);
    assertThat(c.warmup().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.cluster().config()).isEqualTo("multicast");
    assertThat(c.cluster().name()).isEqualTo("c1");
    assertThat(c.cluster().publishInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.cluster().ttlIntervals()).isEqualTo(7);
    assertThat(c.cluster().members()).containsExactly("198.18.0.11", "198.18.0.12");
    assertThat(c.cluster().interfaces()).containsExactly("198.18.0.*");
    assertThat(c.cluster().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(c.cluster().mergeDelay()).isEqualTo(Duration.ofSeconds(5));
  }

  /**
   * The JSON above names every field the classes have, and each reached its field: a field added
   * to NodeConfig or ClusterSettings without a line in {@link #everyField} fails here, and so does
   * one that fromJson forgets to read (it would keep its default).
   */
  @Test
  void everyFieldIsCoveredAndRead() throws Exception {
    assertEveryFieldRead(NodeConfig.fromJson(everyField()), NodeConfig.fromJson(new JsonObject()), everyField(), "$");
  }

  private static void assertEveryFieldRead(Object read, Object defaults, JsonObject json, String path) throws Exception {
    Set<String> fields = new TreeSet<>();
    for (Field f : read.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      fields.add(f.getName());
      String at = path + "." + f.getName();
      assertThat(json.containsKey(f.getName())).as("%s is set in the test's JSON", at).isTrue();
      if (json.getValue(f.getName()) instanceof JsonObject nested) {
        assertEveryFieldRead(f.get(read), f.get(defaults), nested, at);
      } else {
        assertThat(f.get(read)).as("%s was read (differs from its default)", at).isNotEqualTo(f.get(defaults));
      }
    }
    assertThat(json.fieldNames()).as("JSON fields under %s", path).containsExactlyInAnyOrderElementsOf(fields);
  }

  @Test
  void theTokenKeyComesFromTheConfigOrAFileAndIsLongEnough(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "f".repeat(40) + "\n");
    assertThat(NodeConfig.fromJson(new JsonObject().put("tokenSecretFile", key.toString())).tokenSecret())
        .isEqualTo("f".repeat(40));
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("tokenSecret", "short")))
        .hasMessageStartingWith("$.tokenSecret: is too short; use a key of at least 32 bytes");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("tokenSecretFile", dir.resolve("none").toString())))
        .hasMessageStartingWith("$.tokenSecretFile: \"" + dir.resolve("none") + "\" cannot be read");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("tokenSecret", "k".repeat(32))
        .put("tokenSecretFile", key.toString())))
        .hasMessageStartingWith("$.tokenSecretFile: is not allowed beside tokenSecret");
  }

  @Test
  void theWarmupIsOnByDefaultAndItsErrorsNameTheirPath() {
    WarmupSettings w = NodeConfig.fromJson(new JsonObject()).warmup();
    assertThat(w.enabled()).isTrue();
    assertThat(w.connections()).isEqualTo(WarmupSettings.DEFAULT_CONNECTIONS);
    assertThat(w.messages()).isEqualTo(WarmupSettings.DEFAULT_MESSAGES);
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("warmup", new JsonObject().put("conections", 5))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("$.warmup.conections: unknown field");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("warmup", new JsonObject().put("connections", 0))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("$.warmup.connections: 0 is not allowed");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("warmup", true)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("$.warmup:");
  }

  @Test
  void tlsNeedsBothFiles() {
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("tlsCertFile", "node.crt")))
        .hasMessageStartingWith("$.tlsKeyFile: is missing; TLS needs both tlsCertFile and tlsKeyFile");
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
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("pingAfter", "5s").put("pongTimeout", "5s")))
        .hasMessage("$.pongTimeout: \"5s\" is not allowed; use a value below pingAfter (\"5s\")");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("handshakeTimeout", "50ms")))
        .hasMessageStartingWith("$.handshakeTimeout: \"50ms\" is not allowed; use \"0s\" (off) or at least \"100ms\"");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("maxOutboundBytes", 70_000)))
        .hasMessageStartingWith("$.maxOutboundBytes: 70000 is not allowed; use at least maxFrameBytes + writeBufferHighBytes (131072)");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("drain", new JsonObject().put("window", "2h"))))
        .hasMessageStartingWith("$.drain.window: ");
    assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("drain", new JsonObject().put("maxPerSecond", -1))))
        .hasMessageStartingWith("$.drain.maxPerSecond: -1 is not allowed");
  }
}
