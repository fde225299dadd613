package dev.holdfast.simulator;

import dev.holdfast.simulator.config.SimulatorConfig;
import dev.holdfast.simulator.connection.SimulatorVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The end of a run, after the hold: <b>settle</b> (no more churn or messages, reopen whatever
 * waits, let outstanding echoes arrive) until quiet or {@code settleTimeout}; take the three counts
 * at that quiet instant (in a fleet, at the fleet's settled instant, up to {@code settleTimeout}
 * more: {@link dev.holdfast.simulator.target.ClusterServerCount}); wait until the rest of the fleet
 * has counted too (same deadline); <b>close</b> everything (1000, waiting for the servers' answers up
 * to {@code closeTimeout}). Runs on the node's context.
 */
final class RunEnding {

  private static final long SETTLE_POLL_MS = 50;
  /** Every close is cut off after closeTimeout by its verticle; this only guards against a stuck loop. */
  private static final long STUCK_GUARD_MS = 5_000;

  /** What the end of the run found. */
  record Result(double settleSeconds, boolean settled, double closeSeconds, RunCounts.Counts counts) {
  }

  private final Vertx vertx;
  private final Context context;
  private final SimulatorConfig config;
  private final List<SimulatorVerticle> verticles;
  private final RunCounts counts;
  private final LongSupplier held;

  RunEnding(Vertx vertx, Context context, SimulatorConfig config, List<SimulatorVerticle> verticles, RunCounts counts,
      LongSupplier held) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.verticles = verticles;
    this.counts = counts;
    this.held = held;
  }

  /** What the node publishes as the end goes on. */
  interface Steps {
    /** Quiet (or timed out settling): the simulator's count no longer moves; the final counts start. */
    void settled(boolean quiet);

    /** The counts are taken: whether it settled, and the counts. */
    void counted(boolean quiet, RunCounts.Counts counts);

    /** The fleet let this simulator close (or the deadline passed): closing starts. */
    void closing();
  }

  /** Settles, counts and closes, telling {@code steps} as it goes. */
  Future<Result> run(Steps steps) {
    verticles.forEach(SimulatorVerticle::settle);
    long settleStart = System.nanoTime();
    Promise<Boolean> quiet = Promise.promise();
    pollSettled(settleStart + config.settleTimeout().toNanos(), quiet);
    long[] settleEnd = new long[1];
    return quiet.future().compose(settled -> {
      settleEnd[0] = System.nanoTime();
      steps.settled(settled);
      long deadline = System.nanoTime() + config.settleTimeout().toNanos();
      return counts.finalCounts(held.getAsLong(), deadline).compose(c -> {
        steps.counted(settled, c);
        return counts.release(deadline).compose(v -> {
          steps.closing();
          long closeStart = System.nanoTime();
          return closeAll().map(x -> new Result((settleEnd[0] - settleStart) / 1e9, settled,
              (System.nanoTime() - closeStart) / 1e9, c));
        });
      });
    });
  }

  private void pollSettled(long deadline, Promise<Boolean> done) {
    List<Future<Boolean>> each = new ArrayList<>();
    verticles.forEach(v -> each.add(v.settled()));
    ContextHop.back(context, Future.all(each)).onComplete(ar -> {
      if (ar.succeeded() && each.stream().allMatch(Future::result)) {
        done.tryComplete(true);
      } else if (System.nanoTime() - deadline >= 0) {
        done.tryComplete(false);
      } else {
        vertx.setTimer(SETTLE_POLL_MS, t -> pollSettled(deadline, done));
      }
    });
  }

  private Future<Void> closeAll() {
    List<Future<Void>> each = new ArrayList<>();
    verticles.forEach(v -> each.add(v.closeAll()));
    Promise<Void> done = Promise.promise();
    Future.all(each).onComplete(ar -> context.runOnContext(v -> done.tryComplete()));
    vertx.setTimer(config.closeTimeout().toMillis() + STUCK_GUARD_MS, t -> context.runOnContext(v -> done.tryComplete()));
    return done.future();
  }
}
