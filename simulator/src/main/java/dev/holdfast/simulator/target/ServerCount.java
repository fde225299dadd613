package dev.holdfast.simulator.target;

import io.vertx.core.Future;

/**
 * The servers' own count of the connections they hold: the third count beside the simulator's and
 * the kernel's. From the cluster view when there is one; from the echo nodes' status URLs
 * otherwise ({@link StatusUrlServerCount}); unknown (-1) when neither is configured.
 */
@FunctionalInterface
public interface ServerCount {

  /** No source for the servers' count: always -1. */
  ServerCount UNKNOWN = () -> Future.succeededFuture(-1L);

  /** Connections the target servers say they hold, or -1 when unknown. Called at most every progress tick. */
  Future<Long> held();
}
