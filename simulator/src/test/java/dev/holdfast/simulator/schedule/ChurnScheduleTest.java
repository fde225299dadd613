package dev.holdfast.simulator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnScheduleTest {

  private static final long S = 1_000_000_000L;

  @Test
  void meanLifetimeMakesEachSeatChurnFractionTimesPerPeriod() {
    ChurnSchedule c = new ChurnSchedule(0.2, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    // a cycle of T/f = 50 s: open for 50 s less the mean reopen delay of 0.55 s
    assertThat(c.meanLifetimeNanos()).isCloseTo(49.45 * S, within(1e3));
    assertThat(c.expectedClosesPerPeriod(2000)).isEqualTo(400);
  }

  @Test
  void aRenewalSimulationClosesFractionOfThePopulationPerPeriodAsASteadyStream() {
    ChurnSchedule c = new ChurnSchedule(0.2, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    SplittableRandom r = new SplittableRandom(42);
    int population = 2000;
    long horizon = 600 * S;
    long bucket = S;
    long[] closesPerSecond = new long[(int) (horizon / bucket)];
    long closes = 0;
    for (int seat = 0; seat < population; seat++) {
      long t = 0; // every seat opens at 0, as after a ramp: no wave may follow
      while (true) {
        t += c.lifetimeNanos(r);
        if (t >= horizon) {
          break;
        }
        closes++;
        closesPerSecond[(int) (t / bucket)]++;
        t += c.reconnectDelayNanos(r);
      }
    }
    double perPeriod = closes / (horizon / (10.0 * S));
    assertThat(perPeriod).isCloseTo(400, within(400 * 0.03));
    // steady: the first 10 s (right after everything opened together) are no wave
    double meanPerSecond = closes / (horizon / (double) S);
    for (int s = 0; s < 10; s++) {
      assertThat((double) closesPerSecond[s]).isCloseTo(meanPerSecond, within(meanPerSecond * 0.5));
    }
  }

  @Test
  void reconnectDelaysAreJitteredWithinTheirRange() {
    ChurnSchedule c = new ChurnSchedule(0.2, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    SplittableRandom r = new SplittableRandom(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = c.reconnectDelayNanos(r);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isGreaterThanOrEqualTo(100_000_000L).isLessThan(110_000_000L);
    assertThat(max).isLessThanOrEqualTo(S).isGreaterThan(990_000_000L);
  }

  @Test
  void noChurnMeansConnectionsLiveForever() {
    ChurnSchedule c = new ChurnSchedule(0, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
    assertThat(c.active()).isFalse();
    assertThat(c.lifetimeNanos(new SplittableRandom(1))).isEqualTo(ChurnSchedule.FOREVER);
  }

  @Test
  void stormPicksExactlyTheFractionAsked() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 50; trial++) {
      long needed = 333;
      long remaining = 1000;
      int picked = 0;
      for (int i = 0; i < 1000; i++) {
        if (ChurnSchedule.pickForStorm(needed, remaining, r)) {
          needed--;
          picked++;
        }
        remaining--;
      }
      assertThat(picked).isEqualTo(333);
    }
  }

  @Test
  void backoffDoublesUpToItsMaximumWithJitter() {
    SplittableRandom r = new SplittableRandom(5);
    long initial = 200_000_000L;
    long max = 5 * S;
    for (int i = 0; i < 1000; i++) {
      assertThat(ChurnSchedule.backoffNanos(1, initial, max, r)).isBetween(initial / 2, initial);
      assertThat(ChurnSchedule.backoffNanos(3, initial, max, r)).isBetween(initial * 2, initial * 4);
      assertThat(ChurnSchedule.backoffNanos(60, initial, max, r)).isBetween(max / 2, max);
    }
  }
}
