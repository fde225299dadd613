package dev.holdfast.simulator.report;

import dev.holdfast.simulator.config.ThresholdOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates a run's {@link ThresholdOptions} against its report JSON (the shape {@link RunReport}
 * writes: {@code population}, {@code churn}, {@code latencyMsAfterRamp}, {@code ramp},
 * {@code errors}, {@code messages}). Pure: the demo evaluates the same thresholds over its fleet's
 * combined report.
 */
public final class Thresholds {

  /** Error classes that mean a handshake failed (the {@code handshakeStatusNNN} keys count too). */
  private static final List<String> HANDSHAKE_ERRORS = List.of("connectRefused", "connectTimeout",
      "addressNotAvailable", "tooManyOpenFiles", "handshakeTimeout", "handshakeInvalid");

  private Thresholds() {
  }

  /**
   * One threshold beside what the run measured.
   *
   * @param name the threshold's field in {@code $.thresholds}
   * @param what what is measured, in words
   * @param limit the bound, as text ({@code ">= 0.95"})
   * @param measured the measured value, as text ({@code "n/a"} when not applicable)
   * @param pass whether the run met it (a threshold that does not apply passes)
   */
  public record Result(String name, String what, String limit, String measured, boolean pass) {

    /** The JSON path of the threshold in the config. */
    public String path() {
      return "$.thresholds." + name;
    }

    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("path", path()).put("what", what).put("limit", limit)
          .put("measured", measured).put("pass", pass);
    }

    static Result fromJson(JsonObject j) {
      return new Result(j.getString("name"), j.getString("what"), j.getString("limit"), j.getString("measured"),
          j.getBoolean("pass"));
    }
  }

  /** Every threshold against the report. */
  public static List<Result> evaluate(JsonObject report, ThresholdOptions t) {
    List<Result> out = new ArrayList<>();
    JsonObject pop = obj(report, "population");
    long share = pop.getLong("share", 0L);
    long minHeld = pop.getLong("minHeldAfterRamp", -1L);
    if (share <= 0) {
      out.add(new Result("heldFraction", "lowest held after the ramp / target", ">= " + f3(t.heldFraction()),
          "n/a (no share)", true));
    } else {
      double held = minHeld < 0 ? 0 : minHeld / (double) share;
      out.add(new Result("heldFraction", "lowest held after the ramp / target", ">= " + f3(t.heldFraction()),
          minHeld < 0 ? "0 (the ramp never ended)" : f3(held) + " (" + minHeld + "/" + share + ")",
          held + 1e-9 >= t.heldFraction()));
    }

    JsonObject churn = obj(report, "churn");
    double configured = churn.getDouble("configuredFraction", 0.0);
    Double achieved = churn.getDouble("achievedFraction");
    String band = f3(t.churnRatioMin()) + " .. " + f3(t.churnRatioMax());
    Double window = churn.getDouble("windowSeconds");
    Double period = periodSeconds(churn.getString("period"));
    double expected = window == null || period == null ? Double.NaN : configured * share * window / period;
    if (configured <= 0) {
      out.add(new Result("churnRatio", "achieved / configured churn", band, "n/a (no churn configured)", true));
    } else if (expected < t.churnMinCloses()) {
      out.add(new Result("churnRatio", "achieved / configured churn", band, String.format(Locale.ROOT,
          "n/a (%.0f closes expected after the ramp, fewer than churnMinCloses %d)", expected, t.churnMinCloses()), true));
    } else if (achieved == null) {
      out.add(new Result("churnRatio", "achieved / configured churn", band, "not measured (the ramp never ended)", false));
    } else {
      double ratio = achieved / configured;
      out.add(new Result("churnRatio", "achieved / configured churn", band,
          f3(ratio) + " (" + f3(achieved) + " / " + f3(configured) + ")",
          ratio + 1e-9 >= t.churnRatioMin() && ratio - 1e-9 <= t.churnRatioMax()));
    }

    JsonObject steady = obj(report, "latencyMsAfterRamp");
    double limitMs = t.echoP99AfterRamp().toNanos() / 1e6;
    long sent = obj(report, "messages").getLong("sent", 0L);
    if (steady.getLong("count", 0L) == 0) {
      boolean noMessages = sent == 0;
      out.add(new Result("echoP99AfterRamp", "echo p99 after the ramp", "<= " + LatencySummary.format(limitMs),
          noMessages ? "n/a (no messages)" : "no echoes after the ramp", noMessages));
    } else {
      double p99 = steady.getDouble("p99", 0.0);
      out.add(new Result("echoP99AfterRamp", "echo p99 after the ramp", "<= " + LatencySummary.format(limitMs),
          LatencySummary.format(p99) + " over " + steady.getLong("count") + " echoes", p99 <= limitMs));
    }

    long started = obj(report, "ramp").getLong("handshakesStarted", 0L);
    long failed = handshakeErrors(obj(report, "errors"));
    double rate = started == 0 ? 0 : failed / (double) started;
    out.add(new Result("handshakeErrorRate", "failed / started handshakes", "<= " + f4(t.handshakeErrorRate()),
        f4(rate) + " (" + failed + "/" + started + ")", rate <= t.handshakeErrorRate() + 1e-12));

    long lostConnections = churn.getLong("lostConnections", 0L);
    long lostMessages = obj(report, "messages").getLong("lost", 0L);
    long losses = lostConnections + lostMessages;
    out.add(new Result("unexplainedLosses", "connections lost without a known cause + messages lost",
        "<= " + t.unexplainedLosses(), losses + " (" + lostConnections + " connections, " + lostMessages + " messages)",
        losses <= t.unexplainedLosses()));
    return out;
  }

  /** Failed handshakes: connect errors, handshake timeouts and invalid answers, and refusals by status. */
  static long handshakeErrors(JsonObject errors) {
    long n = 0;
    for (String key : errors.fieldNames()) {
      if (HANDSHAKE_ERRORS.contains(key) || key.startsWith("handshakeStatus")) {
        n += errors.getLong(key, 0L);
      }
    }
    return n;
  }

  /**
   * Adds {@code thresholds} (each result) to the report and folds them into its verdict:
   * {@code verdict.thresholdsPassed}, and {@code verdict.ok} only if they all passed.
   */
  public static void applyTo(JsonObject report, ThresholdOptions t) {
    List<Result> results = evaluate(report, t);
    JsonArray a = new JsonArray();
    results.forEach(r -> a.add(r.toJson()));
    boolean passed = results.stream().allMatch(Result::pass);
    report.put("thresholds", a);
    JsonObject verdict = report.getJsonObject("verdict");
    if (verdict != null) {
      verdict.put("thresholdsPassed", passed).put("ok", verdict.getBoolean("ok", true) && passed);
    }
  }

  /** The results in a report written by {@link #applyTo}; empty if it has none. */
  public static List<Result> of(JsonObject report) {
    List<Result> out = new ArrayList<>();
    JsonArray a = report.getJsonArray("thresholds");
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        out.add(Result.fromJson(a.getJsonObject(i)));
      }
    }
    return out;
  }

  /** The results as report text lines, one per threshold. */
  public static String toText(JsonObject report) {
    StringBuilder b = new StringBuilder();
    for (Result r : of(report)) {
      b.append(String.format(Locale.ROOT, "  threshold   %-18s %-4s %s, measured %s (%s)%n", r.name(),
          r.pass() ? "pass" : "FAIL", r.limit(), r.measured(), r.what()));
    }
    return b.toString();
  }

  private static Double periodSeconds(String period) {
    java.time.Duration d = period == null ? null : dev.holdfast.config.Durations.parseOrNull(period);
    return d == null ? null : d.toNanos() / 1e9;
  }

  private static JsonObject obj(JsonObject report, String field) {
    JsonObject o = report.getJsonObject(field);
    return o == null ? new JsonObject() : o;
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
