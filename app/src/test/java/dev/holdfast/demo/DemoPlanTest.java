package dev.holdfast.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoPlanTest {

  /** This machine's kind: 20,000 open files per process, the default 32768-60999 port range, 2 cores. */
  private static final DemoPlan.Machine HERE = new DemoPlan.Machine(20_000, 28_232, 2);

  @Test
  void theDefaultDemoFitsTwoNodesAndTwoSimulators() throws Exception {
    DemoPlan p = DemoPlan.of(2, 2, 4000, 0.05, 80, HERE);
    assertThat(p.perNode()).isEqualTo(2000);
    assertThat(p.perSimulator()).isEqualTo(2000);
    assertThat(p.sourceAddresses()).containsExactly(List.of("127.0.0.2"), List.of("127.0.0.3"));
    assertThat(p.rampPerSecond()).isEqualTo(1000);
    assertThat(p.nodeStatusEverySeconds()).isEqualTo(1);
  }

  @Test
  void moreProcessesThanTheLoopbackClusterHasMemberPortsAreRefused() throws DemoPlan.Refused {
    // 24 processes fit the 40 ports of 5701-5740; 41 do not, whatever the population
    assertThat(DemoPlan.of(12, 12, 200_000, 0.05, 667, HERE).nodes()).isEqualTo(12);
    // 200,000 x 1.05 is 210,000: 11 nodes of 19,500 and 11 simulators of 19,500 hold it, 10 do not
    assertThat(DemoPlan.of(11, 11, 200_000, 0.05, 667, HERE).perNode()).isEqualTo(18_182);
    assertThatThrownBy(() -> DemoPlan.of(10, 11, 200_000, 0.05, 667, HERE)).hasMessageContaining("needs at least 11 nodes");
    assertThatThrownBy(() -> DemoPlan.of(21, 20, 1_000, 0.05, 10, HERE))
        .isInstanceOf(DemoPlan.Refused.class)
        .hasMessageContaining("41 cluster members, more than the 40 member ports");
  }

  @Test
  void aPopulationTwoNodesCannotHoldIsRefusedWithTheCountItNeeds() {
    // 100,000 x 1.05 over 19,500 sockets a node (20,000 less a demo node's reserve of 500) is 5.4: six nodes
    assertThatThrownBy(() -> DemoPlan.of(2, 6, 100_000, 0.05, 2000, HERE))
        .isInstanceOf(DemoPlan.Refused.class)
        .hasMessageContaining("needs at least 6 nodes")
        .hasMessageNotContaining("simulators")
        .satisfies(e -> assertThat(((DemoPlan.Refused) e).nodesNeeded()).isEqualTo(6));
    assertThatThrownBy(() -> DemoPlan.of(2, 2, 100_000, 0.05, 2000, HERE))
        .hasMessageContaining("needs at least 6 nodes").hasMessageContaining("needs at least 6 simulators");
  }

  @Test
  void theToleranceIsHeadroomAtTheEdge() throws Exception {
    // 19,500 exactly fills one node; 5% above it does not
    assertThat(DemoPlan.of(1, 1, 18_500, 0.05, 0, HERE).perNode()).isEqualTo(18_500);
    assertThatThrownBy(() -> DemoPlan.of(1, 1, 19_000, 0.05, 0, HERE)).hasMessageContaining("needs at least 2 nodes");
    assertThat(DemoPlan.of(1, 1, 19_500, 0.0, 0, HERE).perNode()).isEqualTo(19_500);
  }

  @Test
  void atScaleEachSimulatorGetsItsOwnAddresses() throws Exception {
    DemoPlan p = DemoPlan.of(9, 9, 150_000, 0.05, 3000, HERE);
    assertThat(p.perNode()).isEqualTo(16_667);
    Set<String> all = new HashSet<>();
    p.sourceAddresses().forEach(all::addAll);
    assertThat(all).hasSize(9); // 16,667 a simulator fits the 22,585 usable ports of one address
    assertThat(p.rampPerSecond()).isEqualTo(9000); // three times the 3,000 reopens a second, over the cap of 2 x 1,250
    assertThat(p.nodeStatusEverySeconds()).isEqualTo(1); // 16,667 own sockets a node: cheap to count each second
    // a machine whose processes hold 100,000 each: such a node is read every 5 s (20,000 own sockets a second)
    DemoPlan big = DemoPlan.of(1, 2, 100_000, 0.05, 80, new DemoPlan.Machine(200_000, 28_232, 2));
    assertThat(big.nodeStatusEverySeconds()).isEqualTo(5);
    // a narrow port range: 1,000 ports (800 usable) give each of 2 simulators 3 addresses for 2,000
    DemoPlan narrow = DemoPlan.of(2, 2, 4000, 0.05, 80, new DemoPlan.Machine(20_000, 1000, 2));
    assertThat(narrow.sourceAddresses()).containsExactly(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"),
        List.of("127.0.0.5", "127.0.0.6", "127.0.0.7"));
  }

  @Test
  void theRampCoversTheChurnThreeTimesOver() throws Exception {
    assertThat(DemoPlan.of(2, 2, 4000, 0.05, 900, HERE).rampPerSecond()).isEqualTo(2700);
  }

  @Test
  void manyJvmsACoreRunTheClientCompilerOnly() throws Exception {
    assertThat(DemoPlan.of(2, 2, 4000, 0.05, 80, HERE).crowded()).isFalse(); // 2 a core
    assertThat(DemoPlan.of(4, 4, 4000, 0.05, 80, HERE).crowded()).isFalse(); // 4 a core
    assertThat(DemoPlan.of(5, 4, 4000, 0.05, 80, HERE).crowded()).isTrue(); // 4.5 a core
    assertThat(DemoPlan.of(11, 11, 200_000, 0.05, 667, HERE).crowded()).isTrue();
    assertThat(DemoPlan.of(11, 11, 200_000, 0.05, 667, new DemoPlan.Machine(20_000, 28_232, 8)).crowded()).isFalse();
  }

  @Test
  void crowdedDemosCountTheKernelsSocketsLessOften() throws Exception {
    assertThat(DemoRun.kernelCountInterval(DemoPlan.of(2, 2, 4000, 0.05, 80, HERE))).hasSeconds(10);
    assertThat(DemoRun.kernelCountInterval(DemoPlan.of(11, 11, 200_000, 0.05, 667, HERE))).hasSeconds(30);
  }

  @Test
  void theRampFillsInTenSecondsUpToWhatTheCoresCanShake() throws Exception {
    assertThat(DemoPlan.rampPerSecond(4000, 0, 2)).isEqualTo(1000); // the floor
    assertThat(DemoPlan.rampPerSecond(20_000, 0, 2)).isEqualTo(2000); // 10 s
    assertThat(DemoPlan.rampPerSecond(200_000, 0, 2)).isEqualTo(2500); // 1,250 a core
    assertThat(DemoPlan.rampPerSecond(200_000, 0, 16)).isEqualTo(20_000); // a bigger machine: 10 s again
    assertThat(DemoPlan.rampPerSecond(200_000, 667, 2)).isEqualTo(2500); // 20% a minute: 3 x 667 = 2,001 is less
    assertThat(DemoPlan.rampPerSecond(200_000, 2000, 2)).isEqualTo(6000); // the churn's reopens win over the cap
  }

  @Test
  void tooFewSourceAddressesForThePortsIsRefused() {
    assertThatThrownBy(() -> DemoPlan.of(10, 10, 150_000, 0.05, 0, new DemoPlan.Machine(20_000, 100, 2)))
        .hasMessageContaining("source addresses");
  }

  @Test
  void churnIsWrittenFractionSlashPeriod() {
    ChurnRate c = ChurnRate.parse("0.2/1m");
    assertThat(c.fraction()).isEqualTo(0.2);
    assertThat(c.period()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.perSecond(6000)).isEqualTo(20.0);
    assertThat(c.toString()).isEqualTo("0.200/1m");
    for (String bad : List.of("0.2", "1.5/10s", "x/10s", "0.2/soon", "0.2/0s")) {
      assertThatThrownBy(() -> ChurnRate.parse(bad)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("--churn: \"" + bad + "\" is not allowed");
    }
  }
}
