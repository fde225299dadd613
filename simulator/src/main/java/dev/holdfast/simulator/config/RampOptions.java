package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code ramp} object of a simulator config: how fast connections are opened, and how many
 * handshakes may be in flight at once. Both are fleet-wide; each simulator takes its share.
 */
public final class RampOptions {

  /** Handshakes started per second, across the fleet; reopens after churn count too. */
  public static final double DEFAULT_PER_SECOND = 1000;
  /** Handshakes in flight at once, across the fleet. */
  public static final int DEFAULT_IN_FLIGHT = 200;
  /** Wait after start before the first connection. */
  public static final Duration DEFAULT_DELAY = Duration.ZERO;

  private double perSecond = DEFAULT_PER_SECOND;
  private int inFlight = DEFAULT_IN_FLIGHT;
  private Duration delay = DEFAULT_DELAY;

  static RampOptions read(ConfigReader r) {
    RampOptions s = new RampOptions();
    s.perSecond = r.number("perSecond", s.perSecond, 0.1, 10_000_000);
    s.inFlight = r.integer("inFlight", s.inFlight, 1, 10_000_000);
    s.delay = r.duration("delay", s.delay, Duration.ZERO, Duration.ofHours(1));
    r.finish();
    return s;
  }

  /** The {@code ramp} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("perSecond", perSecond).put("inFlight", inFlight).put("delay", Durations.format(delay));
  }

  /** Handshakes started per second across the fleet, 0.1 to 10,000,000. Default 1000. */
  public double perSecond() {
    return perSecond;
  }

  public RampOptions perSecond(double perSecond) {
    this.perSecond = perSecond;
    return this;
  }

  /** Handshakes in flight at once across the fleet, 1 to 10,000,000. Default 200. */
  public int inFlight() {
    return inFlight;
  }

  public RampOptions inFlight(int inFlight) {
    this.inFlight = inFlight;
    return this;
  }

  /** Wait after start before the first connection, 0 s to 1 h. Default 0 s. */
  public Duration delay() {
    return delay;
  }

  public RampOptions delay(Duration delay) {
    this.delay = delay;
    return this;
  }
}
