package dev.holdfast.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cluster.ClusterSettings;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code fromJson(toJson(c))} equals {@code c}, field by field, found by reflection: a field added
 * to a config class and not written by {@code toJson} (or not read back) fails here, and so does
 * one these configs leave at its default.
 */
class ConfigRoundTripTest {

  /** Every field but the two that cannot be set together with these ({@code targets: "cluster"} needs the cluster). */
  private static final String EVERYTHING = """
      {"nodeId": "sim-x", "targets": "cluster", "population": 4321, "tolerance": 0.07, "instances": 3,
       "duration": "2m", "tick": "20ms",
       "ramp": {"perSecond": 2500.5, "inFlight": 77, "delay": "1500ms"},
       "churn": {"fraction": 0.3, "period": "30s", "reconnectDelay": ["50ms", "2s"],
                 "storm": {"at": "40s", "fraction": 0.25, "reconnectDelay": ["10ms", "3s"], "abrupt": true}},
       "messages": {"interval": "2s", "payloadBytes": 128, "lateAfter": "700ms", "lostAfter": "9s"},
       "sourceAddresses": ["127.0.0.2", "127.0.0.3"], "connectTimeout": "7s", "settleTimeout": "12s",
       "closeTimeout": "3s", "backoff": {"initial": "300ms", "max": "9s"}, "progressInterval": "2s",
       "osCountInterval": "7s", "adminHost": "127.0.0.9", "adminPort": 9999, "openFileReserve": 750,
       "nodeStatusUrls": ["http://127.0.0.1:9090/status"], "seed": 42,
       "report": {"json": "r.json", "text": "r.txt", "html": "r.html"},
       "cluster": {"enabled": true, "config": "members", "name": "other", "publishInterval": "2s", "ttlIntervals": 5,
                   "members": ["10.0.0.11", "10.0.0.12"], "interfaces": ["10.0.0.*"], "heartbeatTimeout": "6s", "mergeDelay": "5s"},
       "thresholds": {"heldFraction": 0.9, "churnRatioMin": 0.7, "churnRatioMax": 1.5, "churnMinCloses": 20,
                      "echoP99AfterRamp": "750ms", "handshakeErrorRate": 0.02, "unexplainedLosses": 3},
       "security": {"insecureTrustAllCertificates": true, "tokenSecret": "0123456789abcdef0123456789abcdef",
                    "tokenLifetime": "10m", "tokenAudience": "holdfast", "tokenIn": "header",
                    "tokenQueryParameter": "t", "origin": "https://app.example.com"}}""";
  /** The rest: listed targets, and the cluster off. */
  private static final String STANDALONE = """
      {"targets": ["ws://127.0.0.1:8081/ws", "wss://127.0.0.1:8082/ws"], "cluster": {"enabled": false},
       "security": {"trustCertFile": "ca.pem", "tokenSecretFile": "token.key"}}""";

  @Test
  void everyFieldComesBackFromItsJson() {
    for (String json : List.of(EVERYTHING, STANDALONE)) {
      SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject(json));
      SimulatorConfig back = SimulatorConfig.fromJson(c.toJson());
      Map<String, Object> was = leaves(c);
      Map<String, Object> now = leaves(back);
      assertThat(now.keySet()).isEqualTo(was.keySet());
      was.forEach((path, v) -> assertThat(Objects.deepEquals(v, now.get(path)))
          .as("%s: %s read back as %s", path, v, now.get(path)).isTrue());
    }
  }

  @Test
  void theseConfigsSetEveryFieldToSomethingButItsDefault() {
    // the defaults, with a storm (its own defaults depend on churn and duration)
    Map<String, Object> defaults = leaves(SimulatorConfig.fromJson(new JsonObject("{\"churn\": {\"storm\": {}}}")));
    Map<String, Object> everything = leaves(SimulatorConfig.fromJson(new JsonObject(EVERYTHING)));
    Map<String, Object> standalone = leaves(SimulatorConfig.fromJson(new JsonObject(STANDALONE)));
    TreeSet<String> untouched = new TreeSet<>();
    defaults.forEach((path, v) -> {
      if (Objects.deepEquals(v, everything.get(path)) && Objects.deepEquals(v, standalone.get(path))) {
        untouched.add(path);
      }
    });
    assertThat(untouched).as("fields these tests leave at their defaults, so a round trip cannot prove them").isEmpty();
    assertThat(defaults).hasSizeGreaterThan(40);
  }

  /** Every plain field of the config and its option objects, by path such as {@code churn.storm.at}. */
  private static Map<String, Object> leaves(Object config) {
    Map<String, Object> out = new LinkedHashMap<>();
    collect("", config, out);
    return out;
  }

  private static void collect(String prefix, Object o, Map<String, Object> out) {
    for (Field f : o.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
        continue;
      }
      f.setAccessible(true);
      Object v;
      try {
        v = f.get(o);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
      String path = prefix + f.getName();
      if (v != null && isOptions(v.getClass())) {
        collect(path + ".", v, out);
      } else {
        out.put(path, v);
      }
    }
  }

  /** The config classes: this package's options classes, and the cluster settings they include. */
  private static boolean isOptions(Class<?> c) {
    return c == ClusterSettings.class || c.getPackage() == SimulatorConfig.class.getPackage();
  }
}
