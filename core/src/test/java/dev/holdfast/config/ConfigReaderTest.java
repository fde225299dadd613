package dev.holdfast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

  @Test
  void absentFieldsTakeDefaults() {
    ConfigReader r = ConfigReader.of(new JsonObject());
    assertThat(r.integer("port", 8080, 0, 65535)).isEqualTo(8080);
    assertThat(r.duration("interval", Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1))).hasSeconds(5);
    assertThat(r.strings("targets", List.of("a"))).containsExactly("a");
    r.finish();
  }

  @Test
  void unknownFieldNamesItsPathAndTheAllowedOnes() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("port", 1).put("prot", 2));
    r.integer("port", 8080, 0, 65535);
    assertThatThrownBy(r::finish)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("$.prot: unknown field")
        .hasMessageContaining("port");
  }

  @Test
  void badValuesNameThePathTheValueAndWhatIsAllowed() {
    JsonObject json = new JsonObject().put("port", 70000).put("churn", new JsonObject().put("fraction", "lots"));
    ConfigReader r = ConfigReader.of(json);
    assertThatThrownBy(() -> r.integer("port", 8080, 0, 65535))
        .hasMessage("$.port: 70000 is not allowed; use a whole number from 0 to 65535");
    assertThatThrownBy(() -> r.object("churn").number("fraction", 0.2, 0, 1))
        .hasMessage("$.churn.fraction: \"lots\" is not allowed; use a number from 0.0 to 1.0");
    assertThat(((ConfigException) catchThrown(() -> r.integer("port", 0, 0, 65535))).path()).isEqualTo("$.port");
  }

  @Test
  void durationsAreStringsWithUnits() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("a", "250ms").put("b", "20s").put("c", 20).put("d", new io.vertx.core.json.JsonArray().add("1s").add("100ms")));
    assertThat(r.duration("a", null, Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofMillis(250));
    assertThat(r.duration("b", null, Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(20));
    assertThatThrownBy(() -> r.duration("c", null, Duration.ZERO, Duration.ofHours(1)))
        .hasMessageStartingWith("$.c: 20 is not allowed; use a duration string");
    assertThatThrownBy(() -> r.durationRange("d", null, Duration.ZERO, Duration.ofHours(1)))
        .hasMessageStartingWith("$.d: [\"1s\",\"100ms\"] is not allowed; use a pair [low, high]");
  }

  @Test
  void aFileThatIsNotJsonSaysSo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"port\": ");
    assertThatThrownBy(() -> ConfigReader.readFile(f)).isInstanceOf(ConfigException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> ConfigReader.readFile(dir.resolve("missing.json"))).hasMessageContaining("cannot read config file");
  }

  @Test
  void durationsFormatBackAsWritten() {
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.parseOrNull("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parseOrNull("5 parsecs")).isNull();
  }

  private static Throwable catchThrown(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
