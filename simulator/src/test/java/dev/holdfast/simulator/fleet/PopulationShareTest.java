package dev.holdfast.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PopulationShareTest {

  @Test
  void sharesSumExactlyToThePopulation() {
    for (long population : new long[] {0, 1, 7, 2000, 1_000_003, 400_000_000_001L}) {
      for (int members = 1; members <= 17; members++) {
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < members; i++) {
          long s = PopulationShare.of(population, members, i);
          sum += s;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        assertThat(sum).isEqualTo(population);
        assertThat(max - min).isLessThanOrEqualTo(1); // the remainder is spread, one each
      }
    }
  }

  @Test
  void everyMemberComputesTheSameSplitFromAnyOrder() {
    List<String> members = List.of("sim-c", "sim-a", "sim-b");
    assertThat(PopulationShare.of(10, members, "sim-a")).isEqualTo(4);
    assertThat(PopulationShare.of(10, List.of("sim-b", "sim-c", "sim-a"), "sim-b")).isEqualTo(3);
    assertThat(PopulationShare.of(10, members, "sim-c")).isEqualTo(3);
  }

  @Test
  void joiningAndLeavingRebalance() {
    assertThat(PopulationShare.of(2000, List.of("a"), "a")).isEqualTo(2000);
    assertThat(PopulationShare.of(2000, List.of("a", "b"), "a")).isEqualTo(1000);
    assertThat(PopulationShare.of(2000, List.of("a", "b"), "b")).isEqualTo(1000);
    assertThat(PopulationShare.of(2000, List.of("b"), "b")).isEqualTo(2000);
  }

  @Test
  void aNodeNotYetInTheListHoldsNothing() {
    assertThat(PopulationShare.of(2000, List.of("a", "b"), "c")).isZero();
  }

  @Test
  void ratesScaleWithTheShare() {
    assertThat(PopulationShare.scaled(1000, 500, 2000)).isEqualTo(250);
    assertThat(PopulationShare.scaled(1000, 0, 0)).isZero();
  }
}
