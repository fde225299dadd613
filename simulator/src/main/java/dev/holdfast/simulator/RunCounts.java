package dev.holdfast.simulator;

import dev.holdfast.os.KernelCounter;
import dev.holdfast.simulator.kernel.OwnSocketCount;
import dev.holdfast.simulator.target.ServerCount;
import dev.holdfast.simulator.target.Target;
import dev.holdfast.simulator.target.TargetDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The two counts of held connections besides the simulator's own: the kernel's (established
 * sockets of this process to the targets, {@link OwnSocketCount}, read on the process's kernel-count
 * thread with a deadline, never on an event loop or Vert.x's worker pool) and the servers'
 * ({@link ServerCount}). Owned by the node's context: every result is applied there.
 */
final class RunCounts {

  /**
   * The three counts at one instant: the simulator's, the kernel's and the servers' (-1 = unknown),
   * with what the servers' count compared ({@code servers}, at the end only; null during the run).
   */
  record Counts(long simulator, long os, long cluster, ServerCount.Final servers) {
  }

  private final Vertx vertx;
  private final Context context;
  private final TargetDirectory directory;
  private final ServerCount servers;
  private long os = -1;
  private long cluster = -1;
  private boolean refreshing;
  // off the event loops and the worker pool, with a deadline: a late count is -1, never a stall
  private final KernelCounter osCounter = OwnSocketCount.counter(this::countOsNow);

  private final long osIntervalNanos; // 0: no kernel counts during the run, only the final one
  private long osDueNanos = Long.MIN_VALUE; // guarded by the context; MIN: the next refresh counts

  RunCounts(Vertx vertx, Context context, TargetDirectory directory, ServerCount servers, Duration osCountInterval) {
    this.vertx = vertx;
    this.context = context;
    this.directory = directory;
    this.servers = servers;
    this.osIntervalNanos = osCountInterval.toNanos();
  }

  /** The kernel's count as last read (-1 before the first). */
  long os() {
    return os;
  }

  /** The servers' count as last read (-1 when unknown). */
  long cluster() {
    return cluster;
  }

  /** How old the kernel count {@link #os()} shows is, in ms; -1 before the first. */
  long osAgeMillis() {
    return osCounter.lastAgeMillis();
  }

  /** The kernel's counts read so far, in time or late (the final one included). */
  long osCounts() {
    return osCounter.counts();
  }

  /**
   * Reads the servers' count again in the background, and the kernel's when its interval has passed
   * (the last one is kept between), unless the last refresh still runs; {@code then} runs after, on the context.
   */
  void refresh(Runnable then) {
    if (refreshing) {
      return;
    }
    refreshing = true;
    long now = System.nanoTime();
    // a tenth of the interval early still counts: ticks a hair short of it must not skip a whole tick
    boolean due = osIntervalNanos > 0 && (osDueNanos == Long.MIN_VALUE || now - osDueNanos >= 0);
    if (due) {
      osDueNanos = now + osIntervalNanos - osIntervalNanos / 10;
    }
    (due ? countOs() : Future.succeededFuture(os)).compose(n -> {
      os = n;
      return onContext(servers.held().otherwise(-1L));
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        cluster = ar.result();
      }
      refreshing = false;
      then.run();
    });
  }

  /**
   * The three counts at a quiet instant: the kernel's now, and the servers' as {@link
   * ServerCount#settled} finds it (asked again until it agrees, or, in a fleet, taken at the
   * fleet's settled instant), bounded by {@code deadlineNanos}.
   */
  Future<Counts> finalCounts(long held, long deadlineNanos) {
    return countOs().compose(n -> onContext(servers.settled(vertx, held, deadlineNanos)
        .otherwise(e -> ServerCount.Final.unknown("the servers' count failed: " + e.getMessage())))
        .map(f -> new Counts(held, n, f.count(), f)));
  }

  /** Completes once this simulator may close without spoiling another's final count (see {@link ServerCount#release}). */
  Future<Void> release(long deadlineNanos) {
    return onContext(servers.release(vertx, deadlineNanos).otherwiseEmpty());
  }

  private Future<Long> countOs() {
    return onContext(Future.fromCompletionStage(osCounter.count()).otherwise(-1L));
  }

  /** Runs on the kernel-count thread. */
  private long countOsNow() {
    List<InetSocketAddress> remotes = new ArrayList<>();
    for (Target t : directory.targets()) {
      remotes.add(t.address());
    }
    return new OwnSocketCount(remotes).count();
  }

  private <T> Future<T> onContext(Future<T> f) {
    return ContextHop.back(context, f);
  }
}
