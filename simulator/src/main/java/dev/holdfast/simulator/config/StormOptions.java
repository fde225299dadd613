package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code churn.storm} object of a simulator config: drops a fraction of the held connections
 * at once, to test a thundering herd of reconnects. Absent by default (no storm).
 */
public final class StormOptions {

  /** Fraction of held connections dropped at once. */
  public static final double DEFAULT_FRACTION = 0.5;
  /** Whether the storm cuts TCP without a close frame. */
  public static final boolean DEFAULT_ABRUPT = false;

  private final Duration at;
  private final double fraction;
  private final Duration[] reconnectDelay;
  private final boolean abrupt;

  /** A storm at {@code at} after the start, dropping {@code fraction} of held connections. */
  public StormOptions(Duration at, double fraction, Duration[] reconnectDelay, boolean abrupt) {
    this.at = at;
    this.fraction = fraction;
    this.reconnectDelay = reconnectDelay.clone();
    this.abrupt = abrupt;
  }

  /** Reads {@code churn.storm}: {@code churnDelay} and half of {@code duration} are its defaults. */
  static StormOptions read(ConfigReader r, Duration[] churnDelay, Duration duration) {
    Duration at = r.duration("at", duration.dividedBy(2), Duration.ZERO, Duration.ofDays(30));
    double fraction = r.number("fraction", DEFAULT_FRACTION, 0, 1);
    Duration[] delay = r.durationRange("reconnectDelay", churnDelay, Duration.ZERO, Duration.ofHours(1));
    boolean abrupt = r.bool("abrupt", DEFAULT_ABRUPT);
    r.finish();
    return new StormOptions(at, fraction, delay, abrupt);
  }

  /** The {@code churn.storm} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("at", Durations.format(at)).put("fraction", fraction)
        .put("reconnectDelay", ChurnOptions.durationPair(reconnectDelay)).put("abrupt", abrupt);
  }

  /** When the storm hits, counted from the start of the run, 0 s to 30 days. Default: half the duration. */
  public Duration at() {
    return at;
  }

  /** Fraction of held connections dropped at once, 0 to 1. Default 0.5. */
  public double fraction() {
    return fraction;
  }

  /** [low, high] of the reopen delay after the storm, each 0 s to 1 h. Default: churn.reconnectDelay. */
  public Duration[] reconnectDelay() {
    return reconnectDelay.clone();
  }

  /** True: cut the TCP connections without a close frame (a network failure); false: close with 1001. Default false. */
  public boolean abrupt() {
    return abrupt;
  }
}
