package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code backoff} object of a simulator config: the delay after a failed connect, a refusal
 * (503) or a lost connection, jittered to 50-100% and doubling per consecutive failure.
 */
public final class BackoffOptions {

  /** Delay after the first failure (then doubled per consecutive failure, jittered 50-100%). */
  public static final Duration DEFAULT_INITIAL = Duration.ofMillis(200);
  /** Largest backoff delay. */
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(5);

  private Duration initial = DEFAULT_INITIAL;
  private Duration max = DEFAULT_MAX;

  static BackoffOptions read(ConfigReader r) {
    BackoffOptions s = new BackoffOptions();
    s.initial = r.duration("initial", s.initial, Duration.ofMillis(1), Duration.ofHours(1));
    s.max = r.duration("max", s.max, Duration.ofMillis(1), Duration.ofHours(1));
    if (s.max.compareTo(s.initial) < 0) {
      throw new ConfigException(r.pathOf("max"), "\"" + Durations.format(s.max)
          + "\" is not allowed; use at least backoff.initial (" + Durations.format(s.initial) + ")");
    }
    r.finish();
    return s;
  }

  /** The {@code backoff} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("initial", Durations.format(initial)).put("max", Durations.format(max));
  }

  /** First backoff delay, 1 ms to 1 h. Default 200 ms. */
  public Duration initial() {
    return initial;
  }

  public BackoffOptions initial(Duration initial) {
    this.initial = initial;
    return this;
  }

  /** Largest backoff delay, 1 ms to 1 h, at least {@link #initial()}. Default 5 s. */
  public Duration max() {
    return max;
  }

  public BackoffOptions max(Duration max) {
    this.max = max;
    return this;
  }
}
