package dev.holdfast.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  private static final String ISSUE_EXAMPLE = """
      {"targets": ["ws://127.0.0.1:8080/ws"], "population": 2000, "ramp": {"perSecond": 1000, "inFlight": 200},
       "churn": {"fraction": 0.2, "period": "10s", "reconnectDelay": ["100ms", "1s"]},
       "messages": {"interval": "5s", "payloadBytes": 64}, "sourceAddresses": ["127.0.0.2", "127.0.0.3"],
       "duration": "30s", "report": {"json": "report.json"}}""";

  @Test
  void readsTheIssuesExample() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject(ISSUE_EXAMPLE));
    assertThat(c.targets()).extracting(Object::toString).containsExactly("ws://127.0.0.1:8080/ws");
    assertThat(c.population()).isEqualTo(2000);
    assertThat(c.ramp().perSecond()).isEqualTo(1000);
    assertThat(c.ramp().inFlight()).isEqualTo(200);
    assertThat(c.churn().fraction()).isEqualTo(0.2);
    assertThat(c.churn().period()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.churn().reconnectDelay()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(c.messages().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.messages().payloadBytes()).isEqualTo(64);
    assertThat(c.sourceAddresses()).containsExactly("127.0.0.2", "127.0.0.3");
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.report().json()).isEqualTo("report.json");
    assertThat(c.report().html()).isNull();
  }

  @Test
  void everyFieldHasADefault() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject());
    assertThat(c.targets()).extracting(Object::toString).containsExactlyElementsOf(SimulatorConfig.DEFAULT_TARGETS);
    assertThat(c.population()).isEqualTo(SimulatorConfig.DEFAULT_POPULATION);
    assertThat(c.tolerance()).isEqualTo(SimulatorConfig.DEFAULT_TOLERANCE);
    assertThat(c.duration()).isEqualTo(SimulatorConfig.DEFAULT_DURATION);
    assertThat(c.adminPort()).isEqualTo(SimulatorConfig.DEFAULT_ADMIN_PORT);
    assertThat(c.churn().storm()).isNull();
    assertThat(c.messages().lostAfter()).isEqualTo(MessagesOptions.DEFAULT_LOST_AFTER);
    assertThat(c.cluster().enabled()).isTrue();
    // the effective config reads back as the same config
    assertThat(SimulatorConfig.fromJson(c.toJson()).toJson()).isEqualTo(c.toJson());
  }

  @Test
  void unknownFieldsAreErrorsNamingTheirPath() {
    assertError("{\"populaton\": 5}", "$.populaton", "unknown field");
    assertError("{\"churn\": {\"fractoin\": 0.1}}", "$.churn.fractoin", "unknown field");
    assertError("{\"churn\": {\"storm\": {\"when\": \"5s\"}}}", "$.churn.storm.when", "unknown field");
  }

  @Test
  void badValuesNameThePathTheValueAndWhatIsAllowed() {
    assertError("{\"population\": -1}", "$.population", "-1 is not allowed");
    assertError("{\"population\": \"many\"}", "$.population", "a whole number");
    assertError("{\"osCountInterval\": \"50ms\"}", "$.osCountInterval", "at least \"100ms\"");
    assertError("{\"churn\": {\"fraction\": 1.5}}", "$.churn.fraction", "a number from 0.0 to 1.0");
    assertError("{\"churn\": {\"period\": \"ten seconds\"}}", "$.churn.period", "a duration string");
    assertError("{\"churn\": {\"reconnectDelay\": [\"1s\", \"100ms\"]}}", "$.churn.reconnectDelay", "low <= high");
    assertError("{\"messages\": {\"payloadBytes\": 8}}", "$.messages.payloadBytes", "from 20 to 65536");
    assertError("{\"messages\": {\"interval\": \"5ms\"}}", "$.messages.interval", "at least the scheduler tick");
    assertError("{\"targets\": [\"http://x:1/\"]}", "$.targets[0]", "WebSocket URL");
    assertError("{\"targets\": [\"ws://a:1/ws\", \"wss:/ws\"]}", "$.targets[1]", "wss://127.0.0.1:8443/ws");
    assertError("{\"security\": {\"tokenSecret\": \"short\"}}", "$.security.tokenSecret", "at least 32 bytes");
    assertError("{\"security\": {\"tokenSecret\": \"" + "k".repeat(32) + "\", \"tokenSecretFile\": \"k\"}}",
        "$.security.tokenSecretFile", "one of the two");
    assertError("{\"security\": {\"trustCertFile\": \"ca.pem\", \"insecureTrustAllCertificates\": true}}",
        "$.security.insecureTrustAllCertificates", "tests only");
    assertError("{\"security\": {\"tokenIn\": \"cookie\"}}", "$.security.tokenIn", "header");
    assertError("{\"security\": {\"tokenQueryParameter\": \"a b\"}}", "$.security.tokenQueryParameter", "access_token");
    assertError("{\"security\": {\"origin\": \"https://a b\"}}", "$.security.origin", "no spaces");
    assertError("{\"security\": {\"tokenLifetime\": \"0s\"}}", "$.security.tokenLifetime", "is not allowed");
    assertError("{\"targets\": []}", "$.targets", "at least one");
    assertError("{\"targets\": \"everywhere\"}", "$.targets", "\"cluster\"");
    assertError("{\"sourceAddresses\": [\"127.0.0.2\", \"localhost\"]}", "$.sourceAddresses[1]", "literal local IP");
    assertError("{\"backoff\": {\"initial\": \"2s\", \"max\": \"1s\"}}", "$.backoff.max", "at least backoff.initial");
    assertError("{\"nodeStatusUrls\": [\"ws://x/status\"]}", "$.nodeStatusUrls[0]", "status URL");
  }

  @Test
  void fieldsAreCheckedTogether() {
    // 0.5 of 100000 per 1s is 50000 reopens a second, beyond a ramp of 1000/s
    assertError("{\"population\": 100000, \"churn\": {\"fraction\": 0.5, \"period\": \"1s\"}}", "$.ramp.perSecond",
        "50000 reopens per second");
    // a mean reconnect delay of 5s with a churn cycle of 1s: connections could never stay open
    assertError("{\"churn\": {\"fraction\": 1, \"period\": \"1s\", \"reconnectDelay\": [\"4s\", \"6s\"]}, \"ramp\": {\"perSecond\": 100000}}",
        "$.churn.fraction", "close again before it reopened");
    assertError("{\"duration\": \"10s\", \"churn\": {\"storm\": {\"at\": \"20s\"}}}", "$.churn.storm.at", "before the end");
    assertError("{\"targets\": \"cluster\", \"cluster\": {\"enabled\": false}}", "$.targets", "runs standalone");
  }

  @Test
  void clusterTargetsAreAcceptedWhenClustered() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject("{\"targets\": \"cluster\"}"));
    assertThat(c.clusterTargets()).isTrue();
    assertThat(c.targets()).isEmpty();
    assertThat(c.toJson().getString("targets")).isEqualTo("cluster");
  }

  @Test
  void stormTakesItsDefaultsFromChurnAndDuration() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject("{\"duration\": \"40s\", \"churn\": {\"storm\": {}}}"));
    assertThat(c.churn().storm().at()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.churn().storm().fraction()).isEqualTo(StormOptions.DEFAULT_FRACTION);
    assertThat(c.churn().storm().reconnectDelay()).containsExactly(c.churn().reconnectDelay());
    assertThat(c.churn().storm().abrupt()).isFalse();
  }

  private static void assertError(String json, String path, String says) {
    assertThatThrownBy(() -> SimulatorConfig.fromJson(new JsonObject(json)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo(path))
        .hasMessageStartingWith(path + ": ")
        .hasMessageContaining(says);
  }
}
