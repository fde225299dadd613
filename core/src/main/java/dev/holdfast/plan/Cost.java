package dev.holdfast.plan;

import io.vertx.core.json.JsonObject;

/**
 * One measured (or, where said, assumed) cost the plan multiplies by: its value, unit and where the
 * number comes from, so every line of a plan can be traced to a benchmark result or a flag.
 *
 * @param key the name, as in {@code measured-costs.json} and a costs file given to {@code --report}
 * @param value the amount, in {@code unit}
 * @param unit {@code bytes}, {@code microseconds}, {@code members} ...
 * @param source the file and field it was read from, or why it is an assumption
 */
public record Cost(String key, double value, String unit, String source) {

  JsonObject toJson() {
    return new JsonObject().put("key", key).put("value", value).put("unit", unit).put("source", source);
  }
}
