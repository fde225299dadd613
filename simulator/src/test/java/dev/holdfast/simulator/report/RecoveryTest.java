package dev.holdfast.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryTest {

  private static final double TOLERANCE = 0.05;

  /** Samples every half second of a 600 target: held, the run's lost count, and opens per second. */
  private static List<TimelineSample> halfSeconds(long[] held, long[] lost, double[] openedPerSecond) {
    List<TimelineSample> out = new ArrayList<>();
    for (int i = 0; i < held.length; i++) {
      out.add(new TimelineSample(0.5 * (i + 1), held[i], 600, held[i], held[i], 0, 600 - held[i], 0, 0,
          openedPerSecond[i], 100, 100, LatencySummary.EMPTY, 0, lost[i]));
    }
    return out;
  }

  @Test
  void aRunThatLostNothingHasNoRecovery() {
    List<TimelineSample> t = halfSeconds(new long[] {600, 598, 600}, new long[] {0, 0, 0}, new double[] {10, 10, 10});
    assertThat(Recovery.of(t, TOLERANCE)).isEmpty();
  }

  @Test
  void aKilledNodesShareComingBackOverTwoSecondsIsTimedFromTheLastSampleBeforeTheLoss() {
    // 1.0s: 600 held; by 1.5s 200 lost; they come back 100 per half second from 2.5s to 3.5s
    List<TimelineSample> t = halfSeconds(
        new long[] {600, 600, 400, 400, 500, 600, 600},
        new long[] {0, 0, 200, 200, 200, 200, 200},
        new double[] {0, 0, 0, 0, 200, 200, 0});
    Recovery r = Recovery.of(t, TOLERANCE).orElseThrow();
    assertThat(r.lossAfterSeconds()).isEqualTo(1.0);
    assertThat(r.lossSeenSeconds()).isEqualTo(1.5);
    assertThat(r.lost()).isEqualTo(200);
    assertThat(r.heldBefore()).isEqualTo(600);
    assertThat(r.trough()).isEqualTo(400);
    // 570 (within 5% of 600) first at 3.0s: held again 2.0s after the last sample before the loss
    assertThat(r.recoveredSeconds()).contains(3.0);
    assertThat(r.recoverySeconds()).contains(2.0);
    // 10% of the dip back (420) a fifth of the way from 2.0s (400) to 2.5s (500), 50% at 2.5s, 90% (580) at 2.9s
    assertThat(r.backSeconds()).hasSize(3);
    assertThat(r.backSeconds().get(0)).isCloseTo(1.1, within(1e-9));
    assertThat(r.backSeconds().get(1)).isCloseTo(1.5, within(1e-9));
    assertThat(r.backSeconds().get(2)).isCloseTo(1.9, within(1e-9));
    // seconds after 1.0s: (1.0, 2.0] holds the 1.5s and 2.0s samples, (2.0, 3.0] the 2.5s (100 opens) and 3.0s (100)
    assertThat(r.opensPerSecond()).containsExactly(0L, 200L);
    assertThat(r.busiestSecondOpens()).isEqualTo(200);
    assertThat(r.resolutionSeconds()).isEqualTo(0.5);

    String text = Recovery.toText(r.toJson());
    assertThat(text).contains("lost 200 at 1.0-1.5s, held 600 -> 400 at the trough")
        .contains("within tolerance again after 2.0s").contains("back 10% +1.1s 50% +1.5s 90% +1.9s")
        .contains("opens/s after the loss: 0 200");
  }

  @Test
  void aDipStillDeepeningIsNotRecoveredEvenWhileWithinTolerance() {
    // the first sample sees 10 lost (within tolerance), the next the other 190: recovered only after both
    List<TimelineSample> t = halfSeconds(
        new long[] {600, 590, 400, 600},
        new long[] {0, 10, 200, 200},
        new double[] {0, 0, 0, 400});
    Recovery r = Recovery.of(t, TOLERANCE).orElseThrow();
    assertThat(r.lost()).isEqualTo(200);
    assertThat(r.trough()).isEqualTo(400);
    assertThat(r.recoveredSeconds()).contains(2.0);
  }

  @Test
  void aPopulationThatNeverCameBackSaysSo() {
    List<TimelineSample> t = halfSeconds(
        new long[] {600, 400, 450, 500},
        new long[] {0, 200, 200, 200},
        new double[] {0, 0, 100, 100});
    Recovery r = Recovery.of(t, TOLERANCE).orElseThrow();
    assertThat(r.recoveredSeconds()).isEmpty();
    assertThat(r.recoverySeconds()).isEmpty();
    assertThat(r.backSeconds().get(0)).isCloseTo(0.7, within(1e-9)); // 420 at 1.2s, 0.7s after the 0.5s sample
    assertThat(r.backSeconds().get(2)).isNaN(); // 580 never
    assertThat(r.toJson().getBoolean("recovered")).isFalse();
    assertThat(r.toJson().getJsonObject("backSeconds").getValue("p90")).isNull();
    assertThat(Recovery.toText(r.toJson())).contains("NOT within tolerance again by the end").contains("90% +never");
  }
}
