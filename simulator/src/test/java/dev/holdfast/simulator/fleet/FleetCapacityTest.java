package dev.holdfast.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetCapacityTest {

  @Test
  void aFleetTooSmallForThePopulationSaysHowManyMoreItNeeds() {
    // three simulators of 19,500 each can hold 54,000 (18,000 each); two cannot
    FleetCapacity two = new FleetCapacity(54_000, 2, 27_000, 19_500);
    assertThat(two.fits()).isFalse();
    assertThat(two.needed()).isEqualTo(3);
    assertThat(two.holdable()).isEqualTo(19_500);
    assertThat(two.problem())
        .isEqualTo("population 54000 needs at least 3 simulators of ≤ 18000 each; the fleet has 2: start 1 more");
  }

  @Test
  void aShareWithinTheLimitFits() {
    FleetCapacity three = new FleetCapacity(54_000, 3, 18_000, 19_500);
    assertThat(three.fits()).isTrue();
    assertThat(three.holdable()).isEqualTo(18_000);
    assertThat(three.problem()).isNull();
    assertThat(new FleetCapacity(19_500, 1, 19_500, 19_500).fits()).isTrue();
  }

  @Test
  void enoughMembersButAShareAboveThisOnesLimitAsksForAHigherLimit() {
    // a share larger than the even split (members with other limits): the fleet is big enough, this one is not
    FleetCapacity uneven = new FleetCapacity(40_000, 4, 13_334, 13_000);
    assertThat(uneven.needed()).isEqualTo(4);
    assertThat(uneven.problem()).contains("the fleet has 4").contains("raise its open-file limit");
  }

  @Test
  void aSimulatorThatCanHoldNothingSaysSo() {
    FleetCapacity none = new FleetCapacity(100, 1, 100, 0);
    assertThat(none.needed()).isEqualTo(-1);
    assertThat(none.holdable()).isZero();
    assertThat(none.problem()).contains("can hold no connections");
  }
}
