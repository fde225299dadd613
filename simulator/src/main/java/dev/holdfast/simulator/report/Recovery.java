package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the population recovered after it first lost connections (a node killed, a link cut): when
 * the loss came, how deep the dip went, when the population was held within tolerance again, and
 * how the reconnects spread over that time. Computed from the timeline samples alone, so its times
 * have the progress interval's resolution: the loss is timed from the last sample before it, which
 * makes every time here an upper bound.
 *
 * @param lossAfterSeconds the last sample before the first loss: the loss came after it
 * @param lossSeenSeconds the first sample that counted a loss
 * @param lost connections lost from then until the population was back (or the run ended)
 * @param heldBefore held at the last sample before the loss
 * @param trough the fewest held from the loss until the population was back
 * @param recoveredSeconds the first sample after the loss held within tolerance, with no more lost by the next sample; empty if never
 * @param backSeconds seconds after {@code lossAfterSeconds} by which 10%, 50% and 90% of the dip had
 *     come back (interpolated between samples; an entry is NaN when that much never came back);
 *     empty when held never dipped below {@code heldBefore}
 * @param opensPerSecond connections opened in each whole second after {@code lossAfterSeconds}
 *     until the population was back (reconnects of the lost ones, and the churn's own reopens)
 * @param resolutionSeconds the longest sample interval in that stretch
 */
public record Recovery(double lossAfterSeconds, double lossSeenSeconds, long lost, long heldBefore, long trough,
    Optional<Double> recoveredSeconds, List<Double> backSeconds, List<Long> opensPerSecond, double resolutionSeconds) {

  /** The shares of the dip whose return {@link #backSeconds} times (p10, p50, p90 in the JSON). */
  private static final double[] BACK_SHARES = {0.1, 0.5, 0.9};

  /** The recovery from the timeline's first loss, or empty if it lost no connection. */
  public static Optional<Recovery> of(List<TimelineSample> timeline, double tolerance) {
    int first = -1;
    for (int i = 0; i < timeline.size() && first < 0; i++) {
      if (timeline.get(i).lost() > (i == 0 ? 0 : timeline.get(i - 1).lost())) {
        first = i;
      }
    }
    if (first < 0) {
      return Optional.empty();
    }
    TimelineSample before = first == 0 ? null : timeline.get(first - 1);
    double from = before == null ? 0 : before.seconds();
    long heldBefore = before == null ? 0 : before.held();
    long lostBefore = before == null ? 0 : before.lost();

    // back: held within tolerance again and no more lost by the next sample, so that a loss still
    // being detected (a dip that is still deepening) does not count as recovered
    int back = -1;
    for (int j = first; j < timeline.size() && back < 0; j++) {
      TimelineSample s = timeline.get(j);
      boolean stillLosing = j + 1 < timeline.size() && timeline.get(j + 1).lost() > s.lost();
      if (RunReport.withinTolerance(s.held(), s.target(), tolerance) && !stillLosing) {
        back = j;
      }
    }
    int end = back < 0 ? timeline.size() - 1 : back;
    long trough = Long.MAX_VALUE;
    int troughAt = first;
    double resolution = 0;
    List<Long> opens = new ArrayList<>();
    double previous = from;
    for (int j = first; j <= end; j++) {
      TimelineSample s = timeline.get(j);
      if (s.held() < trough) {
        trough = s.held();
        troughAt = j;
      }
      double interval = s.seconds() - previous;
      resolution = Math.max(resolution, interval);
      int second = (int) Math.max(0, Math.ceil(s.seconds() - from - 1e-9) - 1);
      while (opens.size() <= second) {
        opens.add(0L);
      }
      opens.set(second, opens.get(second) + Math.round(s.openedPerSecond() * interval));
      previous = s.seconds();
    }
    List<Double> backSeconds = new ArrayList<>();
    if (trough < heldBefore) {
      for (double share : BACK_SHARES) {
        backSeconds.add(timeToReach(timeline, troughAt, trough + share * (heldBefore - trough)) - from);
      }
    }
    return Optional.of(new Recovery(from, timeline.get(first).seconds(), timeline.get(end).lost() - lostBefore,
        heldBefore, trough, back < 0 ? Optional.empty() : Optional.of(timeline.get(back).seconds()),
        List.copyOf(backSeconds), List.copyOf(opens), resolution));
  }

  /** When held first reached {@code level} after the sample {@code from}, interpolated; NaN if never. */
  private static double timeToReach(List<TimelineSample> timeline, int from, double level) {
    for (int k = from + 1; k < timeline.size(); k++) {
      TimelineSample a = timeline.get(k - 1);
      TimelineSample b = timeline.get(k);
      if (b.held() >= level) {
        double part = b.held() == a.held() ? 1 : (level - a.held()) / (b.held() - a.held());
        return a.seconds() + Math.max(0, Math.min(1, part)) * (b.seconds() - a.seconds());
      }
    }
    return Double.NaN;
  }

  /** Seconds from the last sample before the loss to the population held within tolerance again. */
  public Optional<Double> recoverySeconds() {
    return recoveredSeconds.map(t -> t - lossAfterSeconds);
  }

  /** The most connections opened in one second of the recovery. */
  public long busiestSecondOpens() {
    return opensPerSecond.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** The report's {@code recovery} object (see simulator/README.md). */
  public JsonObject toJson() {
    JsonObject back = new JsonObject();
    for (int i = 0; i < backSeconds.size(); i++) {
      double t = backSeconds.get(i);
      back.put("p" + Math.round(BACK_SHARES[i] * 100), Double.isNaN(t) ? null : round3(t));
    }
    return new JsonObject()
        .put("lostConnections", lost)
        .put("lossAfterSeconds", round3(lossAfterSeconds))
        .put("lossSeenSeconds", round3(lossSeenSeconds))
        .put("heldBefore", heldBefore)
        .put("trough", trough)
        .put("recovered", recoveredSeconds.isPresent())
        .put("recoveredAtSeconds", recoveredSeconds.map(Recovery::round3).orElse(null))
        .put("recoverySeconds", recoverySeconds().map(Recovery::round3).orElse(null))
        .put("backSeconds", back)
        .put("opensPerSecond", new JsonArray(new ArrayList<>(opensPerSecond)))
        .put("busiestSecondOpens", busiestSecondOpens())
        .put("resolutionSeconds", round3(resolutionSeconds));
  }

  /** The text report's line for the recovery in {@code json} (the form of {@link #toJson()}). */
  static String toText(JsonObject r) {
    JsonObject back = r.getJsonObject("backSeconds");
    StringBuilder opens = new StringBuilder();
    r.getJsonArray("opensPerSecond").forEach(n -> opens.append(' ').append(n));
    return String.format(Locale.ROOT, "  recovery    lost %d at %.1f-%.1fs, held %d -> %d at the trough; %s;%s opens/s after the loss:%s%n",
        r.getLong("lostConnections"), r.getDouble("lossAfterSeconds"), r.getDouble("lossSeenSeconds"),
        r.getLong("heldBefore"), r.getLong("trough"),
        r.getBoolean("recovered") ? "within tolerance again after " + r.getDouble("recoverySeconds") + "s"
            : "NOT within tolerance again by the end",
        back.isEmpty() ? "" : " back 10% +" + seconds(back, "p10") + " 50% +" + seconds(back, "p50")
            + " 90% +" + seconds(back, "p90") + ";",
        opens);
  }

  private static String seconds(JsonObject back, String key) {
    return back.getValue(key) == null ? "never" : back.getDouble(key) + "s";
  }

  private static double round3(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
