package dev.holdfast.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Which churn rate to try next: up by a factor from the first rate while every step holds the
 * latency bound, then, after the first step that does not, a few steps between the best rate that
 * held and the lowest that failed (geometric midpoints; down by the factor while none has held),
 * within a bounded number of steps. The
 * sustained rate is the highest achieved rate of a step that held.
 *
 * @param firstPerSecond the first step's reconnects a second
 * @param factor         how much each step raises the rate while steps hold (above 1)
 * @param refinements    steps between held and failed after the first failure
 * @param maxSteps       steps at most, whatever happens
 * @param boundMicros    the echo p99 a step must stay within
 */
record ChurnLadder(double firstPerSecond, double factor, int refinements, int maxSteps, long boundMicros) {

  ChurnLadder {
    if (!(firstPerSecond > 0)) {
      throw new IllegalArgumentException("churn: the first step's rate must be above 0, not " + firstPerSecond);
    }
    if (!(factor > 1)) {
      throw new IllegalArgumentException("churn: --factor " + factor + " is not allowed; use a number above 1, e.g. 2");
    }
    if (refinements < 0 || maxSteps < 1) {
      throw new IllegalArgumentException("churn: --refine must be at least 0 and --max-steps at least 1");
    }
  }

  /** The next step's target rate after {@code done}, or empty when the ladder is over. */
  OptionalDouble next(List<ChurnStep> done) {
    if (done.size() >= maxSteps) {
      return OptionalDouble.empty();
    }
    if (done.isEmpty()) {
      return OptionalDouble.of(firstPerSecond);
    }
    int firstFailure = firstFailure(done);
    if (firstFailure < 0) {
      return OptionalDouble.of(done.get(done.size() - 1).targetPerSecond() * factor);
    }
    if (done.size() - 1 - firstFailure >= refinements) {
      return OptionalDouble.empty();
    }
    double lowestFailed = done.stream().filter(s -> !s.held(boundMicros)).mapToDouble(ChurnStep::targetPerSecond)
        .min().orElseThrow();
    double bestHeld = done.stream().filter(s -> s.held(boundMicros) && s.targetPerSecond() < lowestFailed)
        .mapToDouble(ChurnStep::targetPerSecond).max().orElse(0);
    if (bestHeld == 0) {
      return OptionalDouble.of(lowestFailed / factor); // nothing held yet: look below
    }
    if (lowestFailed / bestHeld < 1.1) {
      return OptionalDouble.empty(); // held and failed are within 10%: no finer answer here
    }
    return OptionalDouble.of(Math.sqrt(bestHeld * lowestFailed));
  }

  /** The highest reconnect rate achieved by a step that held the bound; 0 if none did. */
  double sustainedPerSecond(List<ChurnStep> done) {
    return done.stream().filter(s -> s.held(boundMicros)).mapToDouble(ChurnStep::achievedPerSecond).max().orElse(0);
  }

  /** Why the ladder stopped: the first failed step's reason, or that every step held. */
  String stopReason(List<ChurnStep> done) {
    int f = firstFailure(done);
    if (f < 0) {
      return done.size() >= maxSteps ? "every step held (--max-steps " + maxSteps + " reached)" : "every step held";
    }
    ChurnStep s = done.get(f);
    return String.format("at %,.0f/s: %s", s.targetPerSecond(), s.failure(boundMicros));
  }

  private int firstFailure(List<ChurnStep> done) {
    for (int i = 0; i < done.size(); i++) {
      if (!done.get(i).held(boundMicros)) {
        return i;
      }
    }
    return -1;
  }
}
