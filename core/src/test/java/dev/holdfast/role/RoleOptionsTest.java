package dev.holdfast.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The Vert.x pool sizes are small by default, and a system property sets them or says what is wrong with it. */
class RoleOptionsTest {

  @Test
  void poolsAreSmallByDefault() {
    RoleOptions o = new RoleOptions("node", "n1");
    assertThat(o.workerPoolSize()).isEqualTo(RoleOptions.DEFAULT_WORKER_POOL_SIZE);
    assertThat(o.internalBlockingPoolSize()).isEqualTo(RoleOptions.DEFAULT_INTERNAL_BLOCKING_POOL_SIZE);
    assertThat(RoleBootstrap.vertxOptions(o).getWorkerPoolSize()).isEqualTo(RoleOptions.DEFAULT_WORKER_POOL_SIZE);
    assertThat(RoleBootstrap.vertxOptions(o).getInternalBlockingPoolSize())
        .isEqualTo(RoleOptions.DEFAULT_INTERNAL_BLOCKING_POOL_SIZE);
  }

  @Test
  void aSystemPropertySetsAPoolOrNamesItsMistake() {
    String name = "holdfast.test.poolSize";
    try {
      System.setProperty(name, "12");
      assertThat(RoleOptions.poolSize(name, 2)).isEqualTo(12);
      System.setProperty(name, "lots");
      assertThatThrownBy(() -> RoleOptions.poolSize(name, 2)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("-D" + name + ": \"lots\" is not allowed; use a whole number from 1 to 1024");
      System.setProperty(name, "0");
      assertThatThrownBy(() -> RoleOptions.poolSize(name, 2)).isInstanceOf(ConfigException.class);
    } finally {
      System.clearProperty(name);
    }
    assertThat(RoleOptions.poolSize(name, 2)).isEqualTo(2);
  }
}
