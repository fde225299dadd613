package dev.holdfast.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one start-up both roles share: event loops, metrics labels, deployments that a stop
 * undeploys, the open-file budget and its message, the default node id.
 */
class RoleBootstrapTest {

  /** Counts its starts and stops, and remembers which event loop thread it started on. */
  static final class Probe extends VerticleBase {
    static final AtomicInteger STARTED = new AtomicInteger();
    static final AtomicInteger STOPPED = new AtomicInteger();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @Override
    public Future<?> start() {
      STARTED.incrementAndGet();
      THREADS.add(Thread.currentThread().getName());
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      STOPPED.incrementAndGet();
      return Future.succeededFuture();
    }
  }

  @Test
  void deploysInstancesOnTheirOwnLoopsAndUndeploysThemAtStop() throws Exception {
    RoleOptions options = new RoleOptions("node", "probe-1").eventLoops(3).openFileReserve(10);
    RoleRuntime runtime = RoleBootstrap.start(options).await(20, TimeUnit.SECONDS);
    try {
      runtime.deploy(Probe::new, 3).await(20, TimeUnit.SECONDS);
      assertThat(Probe.STARTED).hasValue(3);
      assertThat(Probe.THREADS).as("one instance per event loop").hasSize(3);
      // every series carries the node and role labels
      Counter.builder("holdfast.probe").register(runtime.registry()).increment();
      assertThat(runtime.registry().scrape()).contains("holdfast_probe_total{node=\"probe-1\",role=\"node\"} 1.0");
      assertThat(runtime.openFiles().reserve()).isEqualTo(10);
      assertThat(runtime.transportName()).isIn("native (epoll)", "NIO");
      runtime.undeploy().await(20, TimeUnit.SECONDS);
      assertThat(Probe.STOPPED).hasValue(3);
      assertThat(runtime.vertx().deploymentIDs()).isEmpty();
    } finally {
      runtime.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theBudgetRefusesMoreSocketsThanTheLimitLeavesAndNamesPreflight() {
    OpenFileBudget budget = new OpenFileBudget("simulator", 20_000, 500);
    assertThat(budget.socketsAllowed()).isEqualTo(19_500);
    assertThatCode(() -> budget.require(19_500, "$.population", "19500 is", "lower it")).doesNotThrowAnyException();
    assertThatThrownBy(() -> budget.require(19_501, "$.population", "19501 is", "run more simulator nodes"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("$.population: 19501 is more than this process can hold: its open-file limit is 20000, less a"
            + " reserve of 500 leaves 19500 sockets. Raise the limit (`holdfast preflight --connections 19501 --role"
            + " simulator` prints the exact fix) or run more simulator nodes");
    // where the OS gives no limit, nothing is refused
    assertThat(new OpenFileBudget("node", -1, 1000).socketsAllowed()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theDefaultNodeIdIsHostAndPidWithTheRolesSuffix() {
    String pid = Long.toString(ProcessHandle.current().pid());
    assertThat(RoleOptions.defaultNodeId(null)).endsWith("-" + pid);
    assertThat(RoleOptions.defaultNodeId("sim")).endsWith("-" + pid + "-sim");
  }
}
