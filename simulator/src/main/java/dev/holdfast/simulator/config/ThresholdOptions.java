package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Pass/fail thresholds of a run (the {@code thresholds} object of a simulator config), as k6 has
 * them: the verdict and the exit code follow them, and the report shows each beside its measured
 * value. Plain data: {@code dev.holdfast.simulator.report.Thresholds} evaluates them.
 */
public final class ThresholdOptions {

  /** Lowest held connections after the ramp, as a fraction of the target. */
  public static final double DEFAULT_HELD_FRACTION = 0.95;
  /** Lowest achieved churn, as a fraction of the configured churn. */
  public static final double DEFAULT_CHURN_RATIO_MIN = 0.8;
  /** Highest achieved churn, as a multiple of the configured churn. */
  public static final double DEFAULT_CHURN_RATIO_MAX = 1.25;
  /** Fewest churn closes the window after the ramp should see for the churn ratio to be judged (fewer are noise). */
  public static final long DEFAULT_CHURN_MIN_CLOSES = 50;
  /** Highest echo p99 once the ramp is done (generous: a loaded 2-core machine reached 0.8 s). */
  public static final Duration DEFAULT_ECHO_P99_AFTER_RAMP = Duration.ofSeconds(2);
  /** Highest fraction of handshakes that failed (connect errors, handshake timeouts, refusals, bad answers). */
  public static final double DEFAULT_HANDSHAKE_ERROR_RATE = 0.01;
  /** Most connections dropped without a cause the run knows of, plus messages lost. */
  public static final long DEFAULT_UNEXPLAINED_LOSSES = 0;

  private double heldFraction = DEFAULT_HELD_FRACTION;
  private double churnRatioMin = DEFAULT_CHURN_RATIO_MIN;
  private double churnRatioMax = DEFAULT_CHURN_RATIO_MAX;
  private long churnMinCloses = DEFAULT_CHURN_MIN_CLOSES;
  private Duration echoP99AfterRamp = DEFAULT_ECHO_P99_AFTER_RAMP;
  private double handshakeErrorRate = DEFAULT_HANDSHAKE_ERROR_RATE;
  private long unexplainedLosses = DEFAULT_UNEXPLAINED_LOSSES;

  /** Reads {@code $.thresholds}; absent fields take their defaults, unknown fields are errors. */
  public static ThresholdOptions read(ConfigReader r) {
    ThresholdOptions t = new ThresholdOptions();
    t.heldFraction = r.number("heldFraction", t.heldFraction, 0, 1);
    t.churnRatioMin = r.number("churnRatioMin", t.churnRatioMin, 0, 1000);
    t.churnRatioMax = r.number("churnRatioMax", t.churnRatioMax, 0, 1000);
    if (t.churnRatioMin > t.churnRatioMax) {
      throw new ConfigException(r.pathOf("churnRatioMax"), t.churnRatioMax + " is below churnRatioMin (" + t.churnRatioMin
          + "); use churnRatioMin <= churnRatioMax, such as 0.8 and 1.25");
    }
    t.churnMinCloses = r.longInteger("churnMinCloses", t.churnMinCloses, 0, Long.MAX_VALUE);
    t.echoP99AfterRamp = r.duration("echoP99AfterRamp", t.echoP99AfterRamp, Duration.ofMillis(1), Duration.ofHours(1));
    t.handshakeErrorRate = r.number("handshakeErrorRate", t.handshakeErrorRate, 0, 1);
    t.unexplainedLosses = r.longInteger("unexplainedLosses", t.unexplainedLosses, 0, Long.MAX_VALUE);
    r.finish();
    return t;
  }

  /** The thresholds as read, every default filled in (the shape {@link #read} takes). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("heldFraction", heldFraction)
        .put("churnRatioMin", churnRatioMin)
        .put("churnRatioMax", churnRatioMax)
        .put("churnMinCloses", churnMinCloses)
        .put("echoP99AfterRamp", Durations.format(echoP99AfterRamp))
        .put("handshakeErrorRate", handshakeErrorRate)
        .put("unexplainedLosses", unexplainedLosses);
  }

  /** Lowest held/target once the ramp is done, 0 to 1. Default {@value #DEFAULT_HELD_FRACTION}. */
  public double heldFraction() {
    return heldFraction;
  }

  public ThresholdOptions heldFraction(double heldFraction) {
    this.heldFraction = heldFraction;
    return this;
  }

  /** Lowest achieved/configured churn ratio. Default {@value #DEFAULT_CHURN_RATIO_MIN}; not checked without churn. */
  public double churnRatioMin() {
    return churnRatioMin;
  }

  public ThresholdOptions churnRatioMin(double churnRatioMin) {
    this.churnRatioMin = churnRatioMin;
    return this;
  }

  /** Highest achieved/configured churn ratio. Default {@value #DEFAULT_CHURN_RATIO_MAX}; not checked without churn. */
  public double churnRatioMax() {
    return churnRatioMax;
  }

  public ThresholdOptions churnRatioMax(double churnRatioMax) {
    this.churnRatioMax = churnRatioMax;
    return this;
  }

  /**
   * The churn ratio is judged only when the window after the ramp should hold at least this many
   * churn closes (configured fraction x share x window / period): a handful of closes is Poisson
   * noise, not a rate. Default {@value #DEFAULT_CHURN_MIN_CLOSES}.
   */
  public long churnMinCloses() {
    return churnMinCloses;
  }

  public ThresholdOptions churnMinCloses(long churnMinCloses) {
    this.churnMinCloses = churnMinCloses;
    return this;
  }

  /** Highest echo p99 after the ramp (from the intended send time). Default 2 s: generous for a shared machine; set an SLO here. */
  public Duration echoP99AfterRamp() {
    return echoP99AfterRamp;
  }

  public ThresholdOptions echoP99AfterRamp(Duration echoP99AfterRamp) {
    this.echoP99AfterRamp = echoP99AfterRamp;
    return this;
  }

  /** Highest failed handshakes / handshakes started, 0 to 1. Default {@value #DEFAULT_HANDSHAKE_ERROR_RATE}. */
  public double handshakeErrorRate() {
    return handshakeErrorRate;
  }

  public ThresholdOptions handshakeErrorRate(double handshakeErrorRate) {
    this.handshakeErrorRate = handshakeErrorRate;
    return this;
  }

  /** Most connections lost without a known cause plus messages lost (a count). Default {@value #DEFAULT_UNEXPLAINED_LOSSES}. */
  public long unexplainedLosses() {
    return unexplainedLosses;
  }

  public ThresholdOptions unexplainedLosses(long unexplainedLosses) {
    this.unexplainedLosses = unexplainedLosses;
    return this;
  }
}
