package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The {@code messages} object of a simulator config: every connection sends one every interval, phase-spread, and checks the echo. */
public final class MessagesOptions {

  /** Time between two messages of one connection; 0 = no messages. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** Size of each message in bytes; the first 20 carry connection id, sequence number and intended send time. */
  public static final int DEFAULT_PAYLOAD_BYTES = 64;
  /** An echo slower than this (from the intended send time) is counted late. */
  public static final Duration DEFAULT_LATE_AFTER = Duration.ofSeconds(1);
  /** An echo not back this long after its intended send time is no longer waited for when the run settles. */
  public static final Duration DEFAULT_LOST_AFTER = Duration.ofSeconds(5);
  /** The bytes of a payload's header: connection id (8), sequence number (4), intended send time (8). */
  public static final int MIN_PAYLOAD_BYTES = 20;
  /** The largest payload: one WebSocket frame of the echo node's default size. */
  public static final int MAX_PAYLOAD_BYTES = 65_536;

  private Duration interval = DEFAULT_INTERVAL;
  private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
  private Duration lateAfter = DEFAULT_LATE_AFTER;
  private Duration lostAfter = DEFAULT_LOST_AFTER;

  /** Reads {@code messages}; an interval must be 0 or at least the scheduler {@code tick}. */
  static MessagesOptions read(ConfigReader r, Duration tick) {
    MessagesOptions s = new MessagesOptions();
    s.interval = r.duration("interval", s.interval, Duration.ZERO, Duration.ofHours(24));
    if (!s.interval.isZero() && s.interval.compareTo(tick) < 0) {
      throw new ConfigException(r.pathOf("interval"), "\"" + Durations.format(s.interval)
          + "\" is not allowed; use \"0s\" (no messages) or at least the scheduler tick (" + Durations.format(tick) + ")");
    }
    s.payloadBytes = r.integer("payloadBytes", s.payloadBytes, MIN_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES);
    s.lateAfter = r.duration("lateAfter", s.lateAfter, Duration.ofMillis(1), Duration.ofHours(1));
    s.lostAfter = r.duration("lostAfter", s.lostAfter, Duration.ofMillis(1), Duration.ofHours(1));
    r.finish();
    return s;
  }

  /** The {@code messages} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("interval", Durations.format(interval)).put("payloadBytes", payloadBytes)
        .put("lateAfter", Durations.format(lateAfter)).put("lostAfter", Durations.format(lostAfter));
  }

  /** Time between two messages of one connection, rounded to the tick, 0 s to 24 h; 0 = no messages. Default 5 s. */
  public Duration interval() {
    return interval;
  }

  public MessagesOptions interval(Duration interval) {
    this.interval = interval;
    return this;
  }

  /** Message size in bytes, {@value #MIN_PAYLOAD_BYTES} to {@value #MAX_PAYLOAD_BYTES}. Default 64. */
  public int payloadBytes() {
    return payloadBytes;
  }

  public MessagesOptions payloadBytes(int payloadBytes) {
    this.payloadBytes = payloadBytes;
    return this;
  }

  /** Echo latency above which an echo counts as late, 1 ms to 1 h. Default 1 s. */
  public Duration lateAfter() {
    return lateAfter;
  }

  public MessagesOptions lateAfter(Duration lateAfter) {
    this.lateAfter = lateAfter;
    return this;
  }

  /** How long after its intended send time an echo is still waited for when settling, 1 ms to 1 h. Default 5 s. */
  public Duration lostAfter() {
    return lostAfter;
  }

  public MessagesOptions lostAfter(Duration lostAfter) {
    this.lostAfter = lostAfter;
    return this;
  }
}
