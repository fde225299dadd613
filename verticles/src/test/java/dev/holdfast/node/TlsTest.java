package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testing.SelfSignedPem;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// with a PEM pair made at test time: TLS clients are echoed, plain ones are not, and a
 * renewed certificate is served to new connections without a restart while held ones stay.
 */
@ExtendWith(VertxExtension.class)
class TlsTest {

  private static final int CONTROL = 3;

  @Test
  void wssEchoesPlainIsRefusedAndARenewedCertificateIsServedWithoutARestart(Vertx vertx, @TempDir Path dir)
      throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir, "first");
    NodeConfig config = new NodeConfig().tls(pem.cert.toString(), pem.key.toString())
        .tlsReloadInterval(Duration.ofMillis(200));
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      assertThat(node.status().getString("wsUrl")).startsWith("wss://");
      WebSocketClientOptions tls = new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(pem.cert.toString()));
      ControlGroup control = ControlGroup.open(vertx, tls, node.port(), CONTROL, Map.of());
      control.assertAllEcho();
      assertThat(commonName(connect(vertx, tls, node.port()))).isEqualTo("CN=first");

      // the other way: a plain ws:// client gets no upgrade from the TLS port
      assertThatThrownBy(() -> vertx.createWebSocketClient().connect(node.port(), "127.0.0.1", "/ws")
          .await(10, TimeUnit.SECONDS)).isNotNull();

      SelfSignedPem renewed = SelfSignedPem.create(dir, "renewed");
      WebSocketClientOptions trustRenewed = new WebSocketClientOptions(tls)
          .setTrustOptions(new PemTrustOptions().addCertPath(renewed.cert.toString()));
      String served = dev.holdfast.testing.Eventually.poll(Duration.ofSeconds(10), () -> {
        try {
          return commonName(connect(vertx, trustRenewed, node.port()));
        } catch (Exception e) {
          return "not yet: " + e.getMessage();
        }
      }, cn -> cn.equals("CN=renewed"));
      assertThat(served).isEqualTo("CN=renewed");
      control.assertAllEcho(); // held over the old certificate, still echoing
    }
  }

  private static WebSocket connect(Vertx vertx, WebSocketClientOptions options, int port) throws Exception {
    WebSocket ws = vertx.createWebSocketClient(options).connect(port, "127.0.0.1", "/ws").await(10, TimeUnit.SECONDS);
    Promise<String> echo = Promise.promise();
    ws.textMessageHandler(echo::tryComplete);
    ws.writeTextMessage("over tls");
    assertThat(echo.future().await(10, TimeUnit.SECONDS)).isEqualTo("over tls");
    return ws;
  }

  private static String commonName(WebSocket ws) throws Exception {
    String name = ((X509Certificate) ws.peerCertificates().get(0)).getSubjectX500Principal().getName();
    ws.close();
    return name;
  }
}
