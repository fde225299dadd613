package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainPaceTest {

  private static DrainSettings settings(String window, long maxPerSecond) {
    return new DrainSettings().window(Duration.parse("PT" + window.toUpperCase())).maxPerSecond(maxPerSecond);
  }

  @Test
  void spreadsALoopsConnectionsEvenlyOverTheWindow() {
    DrainPace pace = DrainPace.plan(2_000, settings("10s", 0));
    assertThat(pace.length()).isEqualTo(Duration.ofSeconds(10));
    assertThat(pace.dueBy(1_000, 0)).isZero();
    assertThat(pace.dueBy(1_000, 100)).isEqualTo(10);
    assertThat(pace.dueBy(1_000, 5_000)).isEqualTo(500);
    assertThat(pace.dueBy(1_000, 9_999)).isEqualTo(1_000);
    assertThat(pace.dueBy(1_000, 60_000)).isEqualTo(1_000);
  }

  @Test
  void noSecondClosesMoreThanItsShareGiveOrTakeOneTick() {
    DrainPace pace = DrainPace.plan(3_000, settings("7s", 0));
    int total = 3_000;
    for (long start = 0; start + 1_000 <= 7_000; start += DrainPace.TICK_MILLIS) {
      int inSecond = pace.dueBy(total, start + 1_000) - pace.dueBy(total, start);
      assertThat(inSecond).as("closes in [%d, %d) ms", start, start + 1_000)
          .isBetween(total / 7 - 1, total / 7 + 1);
    }
  }

  @Test
  void aCapPerSecondLengthensTheDrain() {
    DrainPace pace = DrainPace.plan(5_000, settings("10s", 200));
    assertThat(pace.length()).isEqualTo(Duration.ofSeconds(25));
    assertThat(DrainPace.plan(1_000, settings("10s", 200)).length()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aZeroWindowClosesEverythingAtOnce() {
    DrainPace pace = DrainPace.plan(500, settings("0s", 0));
    assertThat(pace.length()).isZero();
    assertThat(pace.dueBy(500, 0)).isEqualTo(500);
  }
}
