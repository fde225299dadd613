package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may connect: the origin allowlist (403), handshake tokens (401, and 1008 when a held
 * connection's token expires), the per-address cap (503 with Retry-After) and the admin token,
 * each against a node holding a control group, each both ways.
 */
@ExtendWith(VertxExtension.class)
class HandshakeAdmissionTest {

  private static final int CONTROL = 5;
  private static final String SECRET = "a test key of at least thirty-two bytes, for HS256";

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void onlyAllowedOriginsAreUpgraded(Vertx vertx) throws Exception {
    String allowed = "https://app.example";
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig().allowedOrigins(List.of(allowed)))) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL, "127.0.0.1", Map.of("Origin", allowed));
      assertThat(upgrade(node, "Origin: https://evil.example\r\n").status()).isEqualTo(403);
      assertThat(upgrade(node, "").status()).as("no Origin at all").isEqualTo(403);
      assertThat(upgrade(node, "Origin: HTTPS://APP.EXAMPLE\r\n").status()).as("case does not matter").isEqualTo(101);
      assertThat(node.rejected("origin")).isEqualTo(2);
      control.assertAllEcho();
    }
  }

  @Test
  void tokensAreRequiredCheckedAndTheirExpiryClosesWith1008(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig().tokenSecret(SECRET).tokenAudience("holdfast");
    HandshakeToken issuer = new HandshakeToken(SECRET.getBytes(StandardCharsets.UTF_8), null);
    HandshakeToken otherKey = new HandshakeToken("another key, also thirty-two bytes long....".getBytes(), null);
    JsonObject good = new JsonObject().put("sub", "user-1").put("aud", "holdfast").put("exp", now() + 3600);
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), CONTROL, "127.0.0.1",
          Map.of("Authorization", "Bearer " + issuer.issue(good)));
      assertThat(upgrade(node, "").status()).as("no token").isEqualTo(401);
      assertThat(upgrade(node, bearer(otherKey.issue(good))).status()).as("wrong key").isEqualTo(401);
      assertThat(upgrade(node, bearer(issuer.issue(good.copy().put("exp", now() - 1)))).status()).as("expired")
          .isEqualTo(401);
      assertThat(upgrade(node, bearer(issuer.issue(good.copy().put("aud", "other"))))).extracting(RawHttp.Response::status)
          .as("wrong audience").isEqualTo(401);
      assertThat(upgrade(node, bearer(issuer.issue(good.copy().put("aud", new JsonArray().add("x").add("holdfast"))))))
          .extracting(RawHttp.Response::status).as("audience in a list").isEqualTo(101);
      assertThat(upgrade(node, bearer(issuer.issue(good.copy().put("sub", ""))))).extracting(RawHttp.Response::status)
          .as("no subject").isEqualTo(401);
      String unsigned = issuer.issue(good).substring(0, issuer.issue(good).lastIndexOf('.') + 1);
      assertThat(upgrade(node, bearer(unsigned)).status()).as("no signature").isEqualTo(401);
      RawHttp.Response viaQuery = RawHttp.exchange(node.port(), RawHttp.upgrade("GET",
          "/ws?access_token=" + issuer.issue(good), "HTTP/1.1", RawHttp.KEY_AND_VERSION));
      assertThat(viaQuery.status()).as("token as a query parameter").isEqualTo(101);
      assertThat(node.rejected("unauthorized")).isEqualTo(6);

      // a held connection whose token runs out is closed with 1008 by the sweep
      try (RawWebSocket shortLived = new RawWebSocket(node.port(), "/ws",
          bearer(issuer.issue(good.copy().put("exp", now() + 2))))) {
        assertThat(shortLived.statusLine).contains("101");
        RawWebSocket.Frame close = shortLived.read();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1008);
      }
      control.assertAllEcho(); // the other way: hour-long tokens are still held
    }
  }

  @Test
  void anAddressOverItsCapGets503WithRetryAfter(Vertx vertx) throws Exception {
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig().maxConnectionsPerAddress(3).instances(2))) {
      ControlGroup control = ControlGroup.open(vertx, node.port(), 3, "127.0.0.2", Map.of()); // its own address
      RawWebSocket first = new RawWebSocket(node.port(), "/ws");
      try (RawWebSocket second = new RawWebSocket(node.port(), "/ws");
          RawWebSocket third = new RawWebSocket(node.port(), "/ws")) {
        RawHttp.Response fourth = upgrade(node, "");
        assertThat(fourth.status()).isEqualTo(503);
        assertThat(fourth.headers()).containsEntry("retry-after", "1");
        assertThat(node.rejected("address_cap")).isEqualTo(1);
        assertThat(node.rejected("capacity")).isZero();
        first.close(); // the other way: once one closes, the address may connect again
        node.connectionsWhen(c -> c.getLong("held") == 3 + 2);
        try (RawWebSocket again = new RawWebSocket(node.port(), "/ws")) {
          assertThat(again.statusLine).contains("101");
        }
      }
      control.assertAllEcho();
    }
  }

  @Test
  void theAdminPortIsOnLoopbackAndAsksForItsTokenWhenGiven() throws Exception {
    assertThat(new NodeConfig().adminHost()).isEqualTo("127.0.0.1");
    assertThat(NodeConfig.fromJson(new JsonObject()).adminHost()).isEqualTo("127.0.0.1");
    try (NodeUnderTest node = NodeUnderTest.start(new NodeConfig().adminToken("admin-secret"))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + node.node.adminPort();
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer wrong")
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/status")).header("Authorization", "Bearer admin-secret")
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("probes need no token").isEqualTo(200);
    }
  }

  private static String bearer(String token) {
    return "Authorization: Bearer " + token + "\r\n";
  }

  private static RawHttp.Response upgrade(NodeUnderTest node, String headers) throws Exception {
    return RawHttp.exchange(node.port(), RawHttp.upgrade("GET", "/ws", "HTTP/1.1", RawHttp.KEY_AND_VERSION + headers));
  }
}
