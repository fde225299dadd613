package dev.holdfast.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped JSON Schema ({@code holdfast-simulator.schema.json}) and the validator
 * ({@link SimulatorConfig#fromJson}) agree: the same fields at every level (the validator's are
 * found by asking it, through its unknown-field error), and the same defaults.
 */
class SimulatorConfigSchemaTest {

  /** Fields whose default is not a fixed value (it depends on the machine, the run, or other fields). */
  private static final Set<String> NO_FIXED_DEFAULT = Set.of("nodeId", "instances", "seed", "churn.storm.at",
      "churn.storm.reconnectDelay", "report.json", "report.text", "report.html", "cluster.name");

  private final JsonObject schema = load();
  /** The defaults as the validator fills them in, with a storm so that its defaults are there too. */
  private final JsonObject defaults = SimulatorConfig.fromJson(new JsonObject("{\"churn\": {\"storm\": {}}}")).toJson();

  @Test
  void theSchemaIsDraft2020AndClosedAtEveryLevel() {
    assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    forEachObject(schema, List.of(), (path, node) ->
        assertThat(node.getValue("additionalProperties")).as(String.join(".", path)).isEqualTo(false));
  }

  @Test
  void theSchemaHasTheValidatorsFieldsAtEveryLevel() {
    List<String> checked = new ArrayList<>();
    forEachObject(schema, List.of(), (path, node) -> {
      assertThat(new TreeSet<>(node.getJsonObject("properties").fieldNames()))
          .as("fields of %s", path.isEmpty() ? "the config" : String.join(".", path))
          .isEqualTo(validatorFields(path));
      checked.add(String.join(".", path));
    });
    assertThat(checked).contains("", "ramp", "churn", "churn.storm", "messages", "backoff", "report", "cluster");
  }

  @Test
  void theSchemasDefaultsAreTheValidators() {
    forEachObject(schema, List.of(), (path, node) -> node.getJsonObject("properties").forEach(e -> {
      List<String> at = new ArrayList<>(path);
      at.add(e.getKey());
      String name = String.join(".", at);
      JsonObject field = (JsonObject) e.getValue();
      if (isObject(field)) {
        return;
      }
      Object actual = valueAt(defaults, at);
      if (NO_FIXED_DEFAULT.contains(name)) {
        assertThat(field.containsKey("default")).as(name + " has no fixed default").isFalse();
        assertThat(field.getString("description")).as(name + " says what its default is").containsIgnoringCase("default");
        return;
      }
      assertThat(field.containsKey("default")).as(name + " has a default in the schema").isTrue();
      assertThat(normalized(field.getValue("default"))).as(name).isEqualTo(normalized(actual));
    }));
  }

  @Test
  void thePathOfTheSchemaIsInTheReadme() throws IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    assertThat(readme).contains("src/main/resources/holdfast-simulator.schema.json");
  }

  /** The validator's allowed fields of the object at {@code path}, from its error on an unknown field. */
  private static Set<String> validatorFields(List<String> path) {
    JsonObject probe = new JsonObject().put("unknownProbe", 1);
    for (int i = path.size() - 1; i >= 0; i--) {
      probe = new JsonObject().put(path.get(i), probe);
    }
    JsonObject json = probe;
    String[] message = new String[1];
    assertThatThrownBy(() -> SimulatorConfig.fromJson(json)).isInstanceOfSatisfying(ConfigException.class,
        e -> message[0] = e.getMessage());
    String marker = "the fields allowed here are ";
    assertThat(message[0]).contains("unknownProbe").contains(marker);
    String list = message[0].substring(message[0].indexOf(marker) + marker.length()).trim();
    return new TreeSet<>(Arrays.asList(list.split(",\\s*")));
  }

  private interface ObjectVisitor {
    void visit(List<String> path, JsonObject node);
  }

  private static void forEachObject(JsonObject node, List<String> path, ObjectVisitor visitor) {
    visitor.visit(path, node);
    node.getJsonObject("properties").forEach(e -> {
      JsonObject child = (JsonObject) e.getValue();
      if (isObject(child)) {
        List<String> at = new ArrayList<>(path);
        at.add(e.getKey());
        forEachObject(child, at, visitor);
      }
    });
  }

  private static boolean isObject(JsonObject field) {
    Object type = field.getValue("type");
    return field.containsKey("properties")
        && ("object".equals(type) || type instanceof JsonArray a && a.contains("object"));
  }

  private static Object valueAt(JsonObject json, List<String> path) {
    Object v = json;
    for (String p : path) {
      v = ((JsonObject) v).getValue(p);
    }
    return v;
  }

  /** Durations compare by length ("60s" is "1m"), numbers by value. */
  private static Object normalized(Object v) {
    if (v instanceof String s && Durations.parseOrNull(s) != null) {
      return Durations.parseOrNull(s);
    }
    if (v instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(x -> out.add(normalized(x)));
      return out;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v;
  }

  private static JsonObject load() {
    try (InputStream in = SimulatorConfigSchemaTest.class.getResourceAsStream("/holdfast-simulator.schema.json")) {
      assertThat(in).as("the schema on the class path").isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
