package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.config.Durations;
import java.time.Duration;

/** The simulator config's checks that hold between fields, made once every field is read. */
final class CrossFieldChecks {

  private CrossFieldChecks() {
  }

  /** Checks {@code c}, read by {@code r}: each error names the field that has to change. */
  static void check(SimulatorConfig c, ConfigReader r) {
    ChurnOptions churn = c.churn();
    RampOptions ramp = c.ramp();
    Duration duration = c.duration();
    if (c.clusterTargets() && !c.cluster().enabled()) {
      throw new ConfigException(r.pathOf("targets"), "\"cluster\" needs the cluster view, but the simulator runs"
          + " standalone (cluster.enabled is false or --standalone was given); list WebSocket URLs instead");
    }
    if (churn.fraction() > 0) {
      double meanLifetimeNanos = churn.period().toNanos() / churn.fraction();
      double meanDelayNanos = (churn.reconnectDelay()[0].toNanos() + churn.reconnectDelay()[1].toNanos()) / 2.0;
      if (meanLifetimeNanos <= meanDelayNanos) {
        throw new ConfigException(r.pathOf("churn") + ".fraction", churn.fraction() + " is not allowed with a period of "
            + Durations.format(churn.period()) + " and a mean reconnect delay of " + Durations.format(Duration.ofNanos((long) meanDelayNanos))
            + ": every connection would have to close again before it reopened; use a fraction below "
            + churn.period().toNanos() / meanDelayNanos);
      }
      double reopensPerSecond = churn.fraction() * c.population() / (churn.period().toNanos() / 1e9);
      if (reopensPerSecond > ramp.perSecond()) {
        throw new ConfigException(r.pathOf("ramp") + ".perSecond", ramp.perSecond() + " is not allowed: churn needs "
            + Math.round(reopensPerSecond) + " reopens per second (fraction x population / period), and every reopen is a"
            + " handshake within the ramp rate; use at least " + (long) Math.ceil(reopensPerSecond));
      }
    }
    if (churn.storm() != null && churn.storm().at().compareTo(duration) >= 0) {
      throw new ConfigException(r.pathOf("churn") + ".storm.at", "\"" + Durations.format(churn.storm().at())
          + "\" is not allowed; use a time before the end of the run (duration " + Durations.format(duration) + ")");
    }
    if (ramp.delay().compareTo(duration) >= 0) {
      throw new ConfigException(r.pathOf("ramp") + ".delay", "\"" + Durations.format(ramp.delay())
          + "\" is not allowed; use a delay shorter than the duration (" + Durations.format(duration) + ")");
    }
  }
}
