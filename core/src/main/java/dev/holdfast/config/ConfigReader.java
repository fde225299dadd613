package dev.holdfast.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON object of a config file, field by field, with a default for every field.
 *
 * <p>Every accessor names the field's JSON path in its error, says what was found and what is
 * allowed. {@link #finish()} rejects fields nobody asked for, so a typo is an error, not a silently
 * ignored setting.
 */
public final class ConfigReader {

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();

  private ConfigReader(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  /** A reader over the top-level object, whose path is {@code $}. */
  public static ConfigReader of(JsonObject json) {
    return new ConfigReader(json, "$");
  }

  /** Reads a JSON file, turning a missing file or bad JSON into a {@link ConfigException}. */
  public static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("$", "cannot read config file " + file + " (" + e.getMessage() + ")");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("$", "config file " + file + " is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The JSON path of a field of this object. */
  public String pathOf(String field) {
    return path + "." + field;
  }

  public boolean has(String field) {
    known.add(field);
    return json.containsKey(field) && json.getValue(field) != null;
  }

  public int integer(String field, int def, int min, int max) {
    return (int) longInteger(field, def, min, max);
  }

  public long longInteger(String field, long def, long min, long max) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(field, v, "a whole number from " + min + " to " + max);
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw bad(field, v, "a whole number from " + min + " to " + max);
    }
    return l;
  }

  public double number(String field, double def, double min, double max) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max || Double.isNaN(n.doubleValue())) {
      throw bad(field, v, "a number from " + min + " to " + max);
    }
    return n.doubleValue();
  }

  public boolean bool(String field, boolean def) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof Boolean b)) {
      throw bad(field, v, "true or false");
    }
    return b;
  }

  /** A non-empty string. */
  public String string(String field, String def) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw bad(field, v, "a non-empty string");
    }
    return s;
  }

  public String oneOf(String field, String def, String... allowed) {
    String s = string(field, def);
    if (!Arrays.asList(allowed).contains(s)) {
      throw bad(field, s, "one of " + String.join(", ", allowed));
    }
    return s;
  }

  /** A duration written as a string such as {@code "20s"}; see {@link Durations}. */
  public Duration duration(String field, Duration def, Duration min, Duration max) {
    if (!has(field)) {
      return def;
    }
    return parseDuration(pathOf(field), json.getValue(field), min, max);
  }

  /** A two-element array of durations {@code ["100ms", "1s"]}, the first not above the second. */
  public Duration[] durationRange(String field, Duration[] def, Duration min, Duration max) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof JsonArray a) || a.size() != 2) {
      throw bad(field, v, "a pair of durations such as [\"100ms\", \"1s\"]");
    }
    Duration lo = parseDuration(pathOf(field) + "[0]", a.getValue(0), min, max);
    Duration hi = parseDuration(pathOf(field) + "[1]", a.getValue(1), min, max);
    if (lo.compareTo(hi) > 0) {
      throw bad(field, v, "a pair [low, high] with low <= high");
    }
    return new Duration[] {lo, hi};
  }

  private static Duration parseDuration(String at, Object v, Duration min, Duration max) {
    Duration d = v instanceof String s ? Durations.parseOrNull(s) : null;
    String allowed = "a duration string such as \"250ms\", \"20s\", \"5m\" from "
        + Durations.format(min) + " to " + Durations.format(max);
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException(at, describe(v) + " is not allowed; use " + allowed);
    }
    return d;
  }

  /** An array of non-empty strings. */
  public List<String> strings(String field, List<String> def) {
    if (!has(field)) {
      return def;
    }
    Object v = json.getValue(field);
    if (!(v instanceof JsonArray a)) {
      throw bad(field, v, "an array of strings");
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object e = a.getValue(i);
      if (!(e instanceof String s) || s.isBlank()) {
        throw new ConfigException(pathOf(field) + "[" + i + "]", describe(e) + " is not allowed; use a non-empty string");
      }
      out.add(s);
    }
    return out;
  }

  /** A nested object; an absent field reads as an empty object, so all its fields take defaults. */
  public ConfigReader object(String field) {
    if (!has(field)) {
      return new ConfigReader(new JsonObject(), pathOf(field));
    }
    Object v = json.getValue(field);
    if (!(v instanceof JsonObject o)) {
      throw bad(field, v, "a JSON object");
    }
    return new ConfigReader(o, pathOf(field));
  }

  /** Rejects any field of this object that no accessor asked for. Call after reading every field. */
  public void finish() {
    for (String field : json.fieldNames()) {
      if (!known.contains(field)) {
        throw new ConfigException(pathOf(field), "unknown field; the fields allowed here are "
            + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  private ConfigException bad(String field, Object value, String allowed) {
    return new ConfigException(pathOf(field), describe(value) + " is not allowed; use " + allowed);
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray a) {
      return a.encode();
    }
    return String.valueOf(v);
  }
}
