package dev.holdfast.plan;

import java.time.Duration;

/**
 * The population to size a fleet for.
 *
 * @param connections WebSockets held at once
 * @param churnFraction the share of them closed and reopened per {@code churnPeriod}
 * @param churnPeriod the period the churn fraction is over
 * @param echoInterval each connection sends one message (and gets its echo) this often
 */
public record Target(long connections, double churnFraction, Duration churnPeriod, Duration echoInterval) {

  /** The target: 400,000,000 connections, 20% churn per hour, an echo every 20 s. */
  public static final Target DEFAULT = new Target(400_000_000L, 0.20, Duration.ofHours(1), Duration.ofSeconds(20));

  /** Handshakes a second per held connection, from the churn (each churned connection reopens once). */
  public double handshakesPerSecondPerConnection() {
    return churnFraction / (churnPeriod.toMillis() / 1000.0);
  }

  /** Messages a second per held connection. */
  public double messagesPerSecondPerConnection() {
    return 1000.0 / echoInterval.toMillis();
  }
}
