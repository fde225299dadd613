package dev.holdfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.node.EchoNode;
import dev.holdfast.simulator.config.SecurityOptions;
import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.report.RunReport;
import dev.holdfast.testing.SelfSignedPem;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The simulator against a hardened node (wss:// with a self-signed certificate, a token required,
 * an origin allowlist): with the node's certificate, key and origin it holds its population and
 * every echo comes back; with a wrong key or origin every handshake is refused, counted under
 * the refusal's status.
 */
class SecureRunTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef-secure-run";
  private static final String ORIGIN = "https://app.example.com";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {SecurityOptions.TOKEN_IN_QUERY, SecurityOptions.TOKEN_IN_HEADER})
  void holdsItsPopulationOverWssWithATokenAndAnOrigin(String tokenIn) throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir, "127.0.0.1");
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = startHardenedNode(nodes, pem);
      assertThat(node.wsUrl()).startsWith("wss://");
      SimulatorConfig c = RealNodes.config(List.of(node.wsUrl()), 200, Duration.ofSeconds(6));
      c.ramp().perSecond(400).inFlight(50);
      c.messages().interval(Duration.ofMillis(500)).payloadBytes(64);
      c.security().trustCertFile(pem.cert.toString()).tokenSecret(KEY).tokenIn(tokenIn).origin(ORIGIN)
          .tokenLifetime(Duration.ofMinutes(5));

      RunReport report = nodes.simulate(c, 90);

      JsonObject j = report.toJson();
      assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isEqualTo(200);
      JsonObject messages = j.getJsonObject("messages");
      assertThat(messages.getLong("sent")).isGreaterThan(200);
      assertThat(messages.getLong("echoed")).isEqualTo(messages.getLong("sent"));
      assertThat(report.echoErrors()).isZero();
      assertThat(j.getJsonObject("errors").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum())
          .as("errors %s", j.getJsonObject("errors")).isZero();
      JsonObject counts = j.getJsonObject("counts");
      assertThat(counts.getLong("simulator")).isEqualTo(200);
      assertThat(counts.getLong("os")).isEqualTo(200);
      assertThat(counts.getLong("cluster")).isEqualTo(200);
    }
  }

  @Test
  void aWrongKeyIsCountedAs401AndAWrongOriginAs403() throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir, "127.0.0.1");
    try (RealNodes nodes = new RealNodes()) {
      EchoNode node = startHardenedNode(nodes, pem);

      SimulatorConfig wrongKey = refusedRun(node);
      wrongKey.security().insecureTrustAllCertificates(true).tokenSecret(KEY.replace('0', 'x')).origin(ORIGIN)
          .tokenIn(SecurityOptions.TOKEN_IN_HEADER);
      assertRefusedWith(nodes.simulate(wrongKey, 60), "handshakeStatus401");

      SimulatorConfig wrongOrigin = refusedRun(node);
      wrongOrigin.security().trustCertFile(pem.cert.toString()).tokenSecret(KEY).origin("https://elsewhere.example");
      assertRefusedWith(nodes.simulate(wrongOrigin, 60), "handshakeStatus403");
    }
  }

  private static EchoNode startHardenedNode(RealNodes nodes, SelfSignedPem pem) throws Exception {
    return nodes.startNode(n -> n.tls(pem.cert.toString(), pem.key.toString()).tokenSecret(KEY)
        .allowedOrigins(List.of(ORIGIN)));
  }

  private static SimulatorConfig refusedRun(EchoNode node) {
    SimulatorConfig c = RealNodes.config(List.of(node.wsUrl()), 20, Duration.ofSeconds(2))
        .settleTimeout(Duration.ofSeconds(1));
    c.messages().interval(Duration.ofMillis(500));
    return c;
  }

  private static void assertRefusedWith(RunReport report, String counter) {
    JsonObject j = report.toJson();
    JsonObject errors = j.getJsonObject("errors");
    assertThat(errors.getLong(counter, 0L)).as("%s in %s", counter, errors).isGreaterThanOrEqualTo(20);
    long others = errors.stream().filter(e -> !e.getKey().equals(counter))
        .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    assertThat(others).as("other errors in %s", errors).isZero();
    assertThat(j.getJsonObject("population").getLong("heldAtEnd")).isZero();
    assertThat(j.getJsonObject("messages").getLong("echoed")).isZero();
  }
}
