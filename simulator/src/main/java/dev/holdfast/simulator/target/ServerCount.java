package dev.holdfast.simulator.target;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The servers' own count of the connections they hold: the third count beside the simulator's and
 * the kernel's. From the cluster view when there is one ({@link ClusterServerCount}); from the echo
 * nodes' status URLs otherwise ({@link StatusUrlServerCount}); unknown (-1) when neither is configured.
 */
public interface ServerCount {

  /** How often the final count is asked again while it does not agree yet. */
  long POLL_MS = 50;

  /** No source for the servers' count: always -1. */
  ServerCount UNKNOWN = new ServerCount() {
    @Override
    public Future<Long> held() {
      return Future.succeededFuture(-1L);
    }

    @Override
    public Future<Final> settled(Vertx vertx, long held, long deadlineNanos) {
      return Future.succeededFuture(Final.unknown("no servers' count: no cluster view and no node status URLs"));
    }
  };

  /** Connections the target servers say they hold, or -1 when unknown. Called at most every progress tick. */
  Future<Long> held();

  /**
   * The servers' count of this simulator's connections once it has settled holding {@code held}.
   * This default asks {@link #held()} again until it agrees or {@code deadlineNanos} passes (a
   * count read over HTTP is fresh, but may lag a close in flight); a count that still disagrees at
   * the deadline is reported as is.
   */
  default Future<Final> settled(Vertx vertx, long held, long deadlineNanos) {
    return held().otherwise(-1L).compose(n -> {
      if (n < 0) {
        return Future.succeededFuture(Final.unknown("the echo nodes' status URLs did not all answer"));
      }
      if (n == held || System.nanoTime() - deadlineNanos >= 0) {
        return Future.succeededFuture(Final.compared(n,
            "connections.held summed over the echo nodes' status URLs (this simulator their only client)"));
      }
      Promise<Final> next = Promise.promise();
      vertx.setTimer(POLL_MS, t -> settled(vertx, held, deadlineNanos).onComplete(next));
      return next.future();
    });
  }

  /**
   * Called once this simulator has taken its final counts: completes when it may close its
   * connections without spoiling anyone else's count, or at {@code deadlineNanos}. Alone, at once.
   */
  default Future<Void> release(Vertx vertx, long deadlineNanos) {
    return Future.succeededFuture();
  }

  /**
   * The servers' count at the end and what it compared.
   *
   * @param count the servers' count of this simulator's connections; -1 when unknown or not comparable
   * @param compared what was compared, in words, with its numbers
   * @param notComparable why no count could be compared (a fleet that never settled together); null when it could,
   *     or when there is simply no source for it
   * @param fleet the fleet-level numbers behind {@code count}, when it came from a fleet's settled instant; else null
   */
  record Final(long count, String compared, String notComparable, Fleet fleet) {

    /** A count that was compared. */
    public static Final compared(long count, String what) {
      return new Final(count, what, null, null);
    }

    /** No source for the count: unknown, which is not a disagreement (a standalone run without status URLs). */
    public static Final unknown(String why) {
      return new Final(-1, why, null, null);
    }

    /** The count could not be taken at one settled instant: never reported as agreement. */
    public static Final notComparable(String why) {
      return new Final(-1, "not comparable: " + why, why, null);
    }
  }

  /**
   * A fleet at one settled instant: the echo nodes' total, and the other simulators' settled counts.
   * The fleet's own check is {@code nodesHeld == otherSimulatorsHeld + this simulator's held}.
   *
   * @param nodesHeld connections all echo nodes held, by their own counts, published after the whole fleet settled
   * @param nodes echo nodes summed
   * @param otherSimulatorsHeld the other simulators' counts, each published once it had settled
   * @param otherSimulators the other simulators of the fleet then
   */
  record Fleet(long nodesHeld, long nodes, long otherSimulatorsHeld, int otherSimulators) {
  }
}
