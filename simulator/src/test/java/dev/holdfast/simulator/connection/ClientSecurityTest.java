package dev.holdfast.simulator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.target.Target;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ClientSecurity} puts into a handshake request (the token in the query or the
 * header, the origin) and that the token is an HS256 JWT the node's key verifies; bad files are
 * config errors naming their path.
 */
class ClientSecurityTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  void theTokenIsAnHs256JwtForThisConnectionWithItsLifetimeAndAudience() throws Exception {
    ConnectionToken tokens = new ConnectionToken(KEY.getBytes(StandardCharsets.UTF_8), 600, "hold\"fast");
    String token = tokens.sign(42, 1_000);
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    assertThat(new JsonObject(new String(b64.decode(parts[0]), StandardCharsets.UTF_8)).getString("alg")).isEqualTo("HS256");
    JsonObject claims = new JsonObject(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
    assertThat(claims.getString("sub")).isEqualTo("42");
    assertThat(claims.getLong("exp")).isEqualTo(1_600);
    assertThat(claims.getString("aud")).isEqualTo("hold\"fast");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(b64.decode(parts[2])).isEqualTo(expected);
    // the Mac is reused: a second token is signed as freshly
    String[] next = tokens.sign(43, 2_000).split("\\.");
    assertThat(new String(b64.decode(next[1]), StandardCharsets.UTF_8)).contains("\"sub\":\"43\"").contains("2600");
    assertThat(b64.decode(next[2])).isEqualTo(mac.doFinal((next[0] + "." + next[1]).getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void theTokenGoesIntoTheQueryOrTheHeaderBesideTheOrigin() {
    SimulatorConfig query = config("ws://127.0.0.1:8080/ws?x=1");
    query.security().tokenSecret(KEY).origin("https://app.example.com");
    FullHttpRequest q = request(query);
    assertThat(q.uri()).startsWith("/ws?x=1&access_token=ey");
    assertThat(q.headers().get(HttpHeaderNames.ORIGIN)).isEqualTo("https://app.example.com");
    assertThat(q.headers().contains(HttpHeaderNames.AUTHORIZATION)).isFalse();

    SimulatorConfig header = config("ws://127.0.0.1:8080/ws");
    header.security().tokenSecret(KEY).tokenIn("header");
    FullHttpRequest h = request(header);
    assertThat(h.uri()).isEqualTo("/ws");
    assertThat(h.headers().get(HttpHeaderNames.AUTHORIZATION)).startsWith("Bearer ey");
    q.release();
    h.release();
  }

  @Test
  void unusableFilesAreConfigErrorsNamingTheirPath(@TempDir Path dir) throws Exception {
    SimulatorConfig noCert = config("wss://127.0.0.1:8443/ws");
    noCert.security().trustCertFile(dir.resolve("missing.pem").toString());
    assertThatThrownBy(() -> ClientSecurity.of(noCert)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("$.security.trustCertFile").hasMessageContaining("missing.pem");

    Path shortKey = Files.writeString(dir.resolve("key.txt"), "short\n");
    SimulatorConfig weak = config("ws://127.0.0.1:8080/ws");
    weak.security().tokenSecretFile(shortKey.toString());
    assertThatThrownBy(() -> ClientSecurity.of(weak)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("$.security.tokenSecretFile").hasMessageContaining("at least 32 bytes");

    SimulatorConfig absent = config("ws://127.0.0.1:8080/ws");
    absent.security().tokenSecretFile(dir.resolve("none.txt").toString());
    assertThatThrownBy(() -> ClientSecurity.of(absent)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("$.security.tokenSecretFile").hasMessageContaining("cannot be read");
  }

  private static SimulatorConfig config(String target) {
    return new SimulatorConfig().targets(List.of(target));
  }

  /** The upgrade request the handshaker of connection 7 writes, as a server would decode it. */
  private static FullHttpRequest request(SimulatorConfig config) {
    ClientSecurity security = ClientSecurity.of(config);
    SimulatedConnection c = new SimulatedConnection(0);
    c.id = 7;
    Target target = new Target(0, config.targets().get(0));
    EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec());
    security.handshaker(c, target, 65_536).handshake(client);
    EmbeddedChannel server = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192));
    Object out;
    while ((out = client.readOutbound()) != null) {
      server.writeInbound(out);
    }
    return server.readInbound();
  }
}
