package dev.holdfast.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.TestDeps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboards of {@code dashboards/grafana/dashboards/} as the tests read them: each panel's
 * queries, and Grafana's substitution of template variables into them.
 */
public final class GrafanaDashboards {

  /** One query of one panel. */
  public record PanelQuery(String dashboard, String panel, String expr) {
  }

  /** What Grafana puts for {@code $__rate_interval} at a 1 s scrape interval and a short range (4 × scrape, at least 15 s). */
  public static final String RATE_INTERVAL = "15s";
  private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  /** A rate over a series: {@code rate(name...}, {@code increase(name...}. */
  private static final Pattern RATE_OF = Pattern.compile("\\b(?:rate|irate|increase)\\((\\w+)");
  /** What a rate may be taken of: counters and a histogram's counters. Never a gauge. */
  private static final Pattern COUNTER = Pattern.compile("\\w+_(?:total|bucket|sum|count)");

  private GrafanaDashboards() {
  }

  /** Fails when {@code expr} takes a rate of anything but a counter (a gauge's rate is noise that looks like data). */
  public static void assertRatesOfCountersOnly(String where, String expr) {
    Matcher rate = RATE_OF.matcher(expr);
    while (rate.find()) {
      assertThat(rate.group(1)).as(where + ": rate() of a counter, never of a gauge: " + expr).matches(COUNTER);
    }
  }

  /** The dashboard files. */
  public static List<Path> files() {
    Path dir = TestDeps.repoRoot().resolve("dashboards/grafana/dashboards");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject read(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel's every target expression. */
  public static List<PanelQuery> queries(JsonObject dashboard) {
    List<PanelQuery> out = new ArrayList<>();
    for (JsonObject panel : objects(dashboard.getJsonArray("panels"))) {
      for (JsonObject target : objects(panel.getJsonArray("targets", new JsonArray()))) {
        out.add(new PanelQuery(dashboard.getString("title"), panel.getString("title"), target.getString("expr")));
      }
    }
    return out;
  }

  /** The dashboard's template variables of type query (name to definition). */
  public static List<JsonObject> queryVariables(JsonObject dashboard) {
    return objects(dashboard.getJsonObject("templating").getJsonArray("list")).stream()
        .filter(v -> "query".equals(v.getString("type"))).toList();
  }

  public static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getJsonObject(i));
    }
    return out;
  }

  /**
   * The expression as Grafana sends it: each {@code $name} replaced by its value (for a
   * multi-value variable in a {@code =~} matcher, a single chosen value is regex-escaped; "All" is
   * the variable's {@code allValue}, {@code .*}), {@code $__rate_interval} by {@link #RATE_INTERVAL}.
   */
  public static String substitute(String expr, Map<String, String> values) {
    String out = expr.replace("$__rate_interval", RATE_INTERVAL);
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace("$" + v.getKey(), v.getValue()).replace("${" + v.getKey() + "}", v.getValue());
    }
    return out;
  }

  /** A concrete value as Grafana formats it for a regex matcher. */
  public static String regexValue(String value) {
    return REGEX_SPECIAL.matcher(value).replaceAll("\\\\\\\\$0");
  }
}
