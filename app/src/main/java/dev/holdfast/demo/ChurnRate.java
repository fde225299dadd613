package dev.holdfast.demo;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code --churn} flag: a fraction of the population closed and reopened per period, written
 * {@code 0.2/10s} or {@code 0.2/1m}.
 *
 * @param fraction fraction of the population per period, 0 to 1
 * @param period the period
 */
public record ChurnRate(double fraction, Duration period) {

  /** Parses {@code FRACTION/PERIOD}; a mistake names the flag and shows the form. */
  public static ChurnRate parse(String text) {
    String[] parts = text.trim().split("/", -1);
    String form = "; use FRACTION/PERIOD such as 0.2/10s or 0.2/1m (fraction from 0 to 1)";
    if (parts.length != 2) {
      throw new ConfigException("--churn", "\"" + text + "\" is not allowed" + form);
    }
    double fraction;
    try {
      fraction = Double.parseDouble(parts[0]);
    } catch (NumberFormatException e) {
      throw new ConfigException("--churn", "\"" + text + "\" is not allowed" + form);
    }
    Duration period = Durations.parseOrNull(parts[1]);
    if (period == null || period.isZero() || period.isNegative() || !(fraction >= 0 && fraction <= 1)) {
      throw new ConfigException("--churn", "\"" + text + "\" is not allowed" + form);
    }
    return new ChurnRate(fraction, period);
  }

  /** Reopens per second this churn asks of a population. */
  public double perSecond(long population) {
    return fraction * population / (period.toNanos() / 1e9);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.3f/%s", fraction, Durations.format(period));
  }
}
