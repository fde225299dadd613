package dev.holdfast.node;

import dev.holdfast.config.ConfigReader;
import java.time.Duration;

/**
 * The node's warm-up before it reports ready: the {@code warmup} object of its config. A node that
 * has just started runs its handshake and echo code interpreted and loads its classes on the first
 * connections; a reconnect storm into a fresh node pays that on every one of them at once. The
 * warm-up pays it first, on loopback connections of its own ({@link LoopbackWarmup}).
 */
public final class WarmupSettings {

  /** Loopback WebSocket handshakes the warm-up makes. */
  public static final int DEFAULT_CONNECTIONS = 2000;
  /** Messages each warm-up connection sends and waits to see echoed before it closes. */
  public static final int DEFAULT_MESSAGES = 4;
  /** The longest the warm-up may take; past it the node starts anyway, and the log says how far it got. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private boolean enabled = true;
  private int connections = DEFAULT_CONNECTIONS;
  private int messages = DEFAULT_MESSAGES;
  private Duration timeout = DEFAULT_TIMEOUT;

  /** Reads the {@code warmup} object; fields left out take their defaults, unknown fields are errors. */
  public static WarmupSettings read(ConfigReader r) {
    WarmupSettings s = new WarmupSettings();
    s.enabled = r.bool("enabled", s.enabled);
    s.connections = r.integer("connections", s.connections, 1, 1_000_000);
    s.messages = r.integer("messages", s.messages, 0, 1000);
    s.timeout = r.duration("timeout", s.timeout, Duration.ofMillis(100), Duration.ofMinutes(10));
    r.finish();
    return s;
  }

  /** Whether the node warms up before it reports ready; {@code --no-warmup} turns it off. */
  public boolean enabled() {
    return enabled;
  }

  public WarmupSettings enabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int connections() {
    return connections;
  }

  public WarmupSettings connections(int connections) {
    this.connections = connections;
    return this;
  }

  public int messages() {
    return messages;
  }

  public WarmupSettings messages(int messages) {
    this.messages = messages;
    return this;
  }

  public Duration timeout() {
    return timeout;
  }

  public WarmupSettings timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }
}
