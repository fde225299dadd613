package dev.holdfast.simulator.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import dev.holdfast.simulator.config.SimulatorConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StaticTargetDirectoryTest {

  private static final long MS = 1_000_000L;

  private final Map<Integer, Long> load = new HashMap<>();
  private final StaticTargetDirectory dir = new StaticTargetDirectory(
      List.of(URI.create("ws://127.0.0.1:18080/ws"), URI.create("ws://127.0.0.1:18081/ws"), URI.create("ws://127.0.0.1:18082/ws")),
      t -> load.getOrDefault(t.index(), 0L), 200 * MS, 5_000 * MS);
  private final SplittableRandom random = new SplittableRandom(1);

  @Test
  void choosesTheLeastLoadedTarget() {
    load.put(0, 10L);
    load.put(1, 3L);
    load.put(2, 7L);
    for (int i = 0; i < 20; i++) {
      assertThat(TargetDirectory.leastLoaded(dir, 0, random).index()).isEqualTo(1);
    }
  }

  @Test
  void breaksTiesAtRandom() {
    Map<Integer, Integer> picks = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      picks.merge(TargetDirectory.leastLoaded(dir, 0, random).index(), 1, Integer::sum);
    }
    assertThat(picks).containsOnlyKeys(0, 1, 2);
    assertThat(picks.values()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
  }

  @Test
  void aRefusingTargetIsAvoidedUntilItsBackoffPasses() {
    load.put(0, 0L);
    load.put(1, 5L);
    load.put(2, 5L);
    Target first = dir.targets().get(0);
    dir.refused(first, 1_000 * MS, 0);
    assertThat(dir.available(first, 999 * MS)).isFalse();
    assertThat(TargetDirectory.leastLoaded(dir, 500 * MS, random).index()).isNotEqualTo(0);
    assertThat(dir.available(first, 1_000 * MS)).isTrue();
    assertThat(TargetDirectory.leastLoaded(dir, 1_000 * MS, random).index()).isEqualTo(0);
  }

  @Test
  void failuresBackOffLongerEachTimeUntilASuccess() {
    Target t = dir.targets().get(2);
    dir.failed(t, 0);
    assertThat(dir.available(t, 201 * MS)).isTrue();
    dir.failed(t, 0);
    dir.failed(t, 0); // third failure: 800 ms, jittered down to no less than 400
    assertThat(dir.available(t, 399 * MS)).isFalse();
    dir.succeeded(t);
    dir.failed(t, 1_000 * MS);
    assertThat(dir.available(t, 1_201 * MS)).isTrue();
  }

  @Test
  void noTargetWhenAllBackOff() {
    for (Target t : dir.targets()) {
      dir.failed(t, 0);
    }
    assertThat(TargetDirectory.leastLoaded(dir, 1, random)).isNull();
  }

  @Test
  void clusterTargetsNeedACluster() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject("{\"targets\": \"cluster\"}"));
    assertThatThrownBy(() -> StaticTargetDirectory.create(c, t -> 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("$.targets: ")
        .hasMessageContaining("needs the cluster view");
  }
}
