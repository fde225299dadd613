package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code jcmd PID GC.class_histogram}: live objects per class after the full GC that
 * the command forces. Its total is the live heap; two of them, before and under load, show where
 * the memory per connection goes.
 */
record ClassHistogram(long totalBytes, long totalInstances, Map<String, long[]> byClass) {

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  static ClassHistogram parse(String jcmdOutput) {
    Map<String, long[]> rows = new HashMap<>();
    long bytes = -1;
    long instances = -1;
    for (String line : jcmdOutput.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        continue;
      }
      Matcher t = TOTAL.matcher(line.trim());
      if (t.matches()) {
        instances = Long.parseLong(t.group(1));
        bytes = Long.parseLong(t.group(2));
      }
    }
    if (bytes < 0) {
      throw new IllegalStateException("no Total line in jcmd output:\n" + jcmdOutput);
    }
    return new ClassHistogram(bytes, instances, rows);
  }

  /** The classes that grew most from {@code before} to this, per connection, largest first. */
  JsonArray growthPerConnection(ClassHistogram before, long connections, int top) {
    List<JsonObject> rows = new ArrayList<>();
    for (var e : byClass.entrySet()) {
      long[] was = before.byClass.getOrDefault(e.getKey(), new long[2]);
      long dBytes = e.getValue()[1] - was[1];
      long dCount = e.getValue()[0] - was[0];
      if (dBytes > 0) {
        rows.add(new JsonObject().put("class", e.getKey())
            .put("bytesPerConnection", (double) dBytes / connections)
            .put("instancesPerConnection", (double) dCount / connections));
      }
    }
    rows.sort(Comparator.comparingDouble((JsonObject o) -> o.getDouble("bytesPerConnection")).reversed());
    return new JsonArray(new ArrayList<>(rows.subList(0, Math.min(top, rows.size()))));
  }
}
