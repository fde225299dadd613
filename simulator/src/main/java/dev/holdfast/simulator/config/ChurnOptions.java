package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code churn} object of a simulator config: a fraction of the population closed and
 * reopened per period, as a steady random stream, and an optional one-off {@link StormOptions storm}.
 */
public final class ChurnOptions {

  /** Fraction of the population closed and reopened per period. */
  public static final double DEFAULT_FRACTION = 0.1;
  /** The period over which {@code fraction} of the population churns. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);
  /** Range of the uniformly jittered delay between a churn close and the reopen. */
  public static final Duration DEFAULT_RECONNECT_DELAY_LOW = Duration.ofMillis(100);
  /** Upper end of the reopen delay after a churn close. */
  public static final Duration DEFAULT_RECONNECT_DELAY_HIGH = Duration.ofSeconds(1);

  private double fraction = DEFAULT_FRACTION;
  private Duration period = DEFAULT_PERIOD;
  private Duration[] reconnectDelay = {DEFAULT_RECONNECT_DELAY_LOW, DEFAULT_RECONNECT_DELAY_HIGH};
  private StormOptions storm;

  /** Reads the {@code churn} object; {@code duration} (the run's) gives the storm's default time. */
  static ChurnOptions read(ConfigReader r, Duration duration) {
    ChurnOptions s = new ChurnOptions();
    s.fraction = r.number("fraction", s.fraction, 0, 1);
    s.period = r.duration("period", s.period, Duration.ofMillis(100), Duration.ofDays(30));
    s.reconnectDelay = r.durationRange("reconnectDelay", s.reconnectDelay, Duration.ZERO, Duration.ofHours(1));
    s.storm = r.has("storm") ? StormOptions.read(r.object("storm"), s.reconnectDelay, duration) : null;
    r.finish();
    return s;
  }

  /** The {@code churn} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("fraction", fraction).put("period", Durations.format(period))
        .put("reconnectDelay", durationPair(reconnectDelay))
        .put("storm", storm == null ? null : storm.toJson());
  }

  static JsonArray durationPair(Duration[] pair) {
    return new JsonArray().add(Durations.format(pair[0])).add(Durations.format(pair[1]));
  }

  /** Fraction of the population closed and reopened per period, 0 to 1; 0 = no churn. Default 0.1. */
  public double fraction() {
    return fraction;
  }

  public ChurnOptions fraction(double fraction) {
    this.fraction = fraction;
    return this;
  }

  /** Churn period, 100 ms to 30 days. Default 60 s. */
  public Duration period() {
    return period;
  }

  public ChurnOptions period(Duration period) {
    this.period = period;
    return this;
  }

  /** [low, high] of the uniformly jittered reopen delay after a churn close, each 0 s to 1 h. Default [100ms, 1s]. */
  public Duration[] reconnectDelay() {
    return reconnectDelay.clone();
  }

  public ChurnOptions reconnectDelay(Duration low, Duration high) {
    this.reconnectDelay = new Duration[] {low, high};
    return this;
  }

  /** The one-off storm, or null for none (the default). */
  public StormOptions storm() {
    return storm;
  }

  public ChurnOptions storm(StormOptions storm) {
    this.storm = storm;
    return this;
  }
}
