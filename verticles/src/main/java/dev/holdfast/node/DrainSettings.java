package dev.holdfast.node;

import dev.holdfast.config.ConfigReader;
import java.time.Duration;

/**
 * How a node drains on SIGTERM or {@code POST /drain}: the {@code drain} object of its config. The
 * node closes its connections with 1001 spread evenly over the window, so clients reconnect to the
 * other nodes gradually instead of all at once.
 */
public final class DrainSettings {

  /** How long the 1001 closes are spread over. {@code "0s"} closes everything at once. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  /** Node-wide cap on closes per second; 0 = none. A cap lengthens the drain beyond the window. */
  public static final long DEFAULT_MAX_PER_SECOND = 0;

  private Duration window = DEFAULT_WINDOW;
  private long maxPerSecond = DEFAULT_MAX_PER_SECOND;

  /** Reads the {@code drain} object; fields left out take their defaults, unknown fields are errors. */
  public static DrainSettings read(ConfigReader r) {
    DrainSettings s = new DrainSettings();
    s.window = r.duration("window", s.window, Duration.ZERO, Duration.ofHours(1));
    s.maxPerSecond = r.longInteger("maxPerSecond", s.maxPerSecond, 0, 100_000_000);
    r.finish();
    return s;
  }

  public Duration window() {
    return window;
  }

  public DrainSettings window(Duration window) {
    this.window = window;
    return this;
  }

  public long maxPerSecond() {
    return maxPerSecond;
  }

  public DrainSettings maxPerSecond(long maxPerSecond) {
    this.maxPerSecond = maxPerSecond;
    return this;
  }
}
