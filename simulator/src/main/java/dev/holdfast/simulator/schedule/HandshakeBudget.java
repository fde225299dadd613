package dev.holdfast.simulator.schedule;

/**
 * How many handshakes a verticle may start now: a token bucket refilled at the ramp rate, and a
 * bound on handshakes in flight. Owned by one event loop; not thread-safe.
 */
public final class HandshakeBudget {

  /** How many ticks' worth of handshakes may be saved up. */
  static final int BURST_TICKS = 10;

  private final long tickNanos;
  private double perTick;
  private double burst;
  private int maxInFlight;
  private double tokens;
  private int inFlight;

  /**
   * @param perSecond handshakes this verticle may start per second
   * @param maxInFlight handshakes this verticle may have in flight at once (at least 1)
   * @param tickNanos the scheduler tick at which {@link #refill()} is called
   */
  public HandshakeBudget(double perSecond, int maxInFlight, long tickNanos) {
    this.tickNanos = tickNanos;
    resize(perSecond, maxInFlight);
  }

  /** Changes rate and bound (the share changed), keeping the handshakes in flight. */
  public void resize(double perSecond, int maxInFlight) {
    this.perTick = perSecond * tickNanos / 1e9;
    // tokens saved up to 10 ticks' worth (at least one handshake): a loop that fell a little behind
    // catches up on the rate instead of losing it, and rounding never starves a slow rate
    this.burst = Math.max(1.0, perTick * BURST_TICKS);
    this.maxInFlight = Math.max(1, maxInFlight);
    this.tokens = Math.min(tokens, burst);
  }

  /** Adds one tick's worth of tokens, up to the burst. */
  public void refill() {
    tokens = Math.min(burst, tokens + perTick);
  }

  /** Takes a token and an in-flight slot if both are free. */
  public boolean tryStart() {
    if (tokens < 1.0 || inFlight >= maxInFlight) {
      return false;
    }
    tokens -= 1.0;
    inFlight++;
    return true;
  }

  /** A handshake finished (opened, failed or cancelled): frees its in-flight slot. */
  public void finished() {
    if (inFlight > 0) {
      inFlight--;
    }
  }

  public int inFlight() {
    return inFlight;
  }

  public int maxInFlight() {
    return maxInFlight;
  }
}
