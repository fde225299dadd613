package dev.holdfast.simulator.target;

import dev.holdfast.cluster.ClusterSummary;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The servers' count of this simulator's connections from the cluster view, no cluster call per
 * connection: what all echo nodes say they hold, less what the other simulators of the fleet say
 * they hold.
 *
 * <p><b>At the end, one settled instant for the whole fleet.</b> That difference is only this
 * simulator's count when every term is of the same instant: in a fleet whose members end a few
 * seconds apart, the others' snapshots and the nodes' are out of step (a 9-simulator run at
 * 150,000 attributed 19,332 to a simulator holding 16,667: {@code bench/results/demo-150k-2026-12-01-1112.md}).
 * So the final count is a barrier through the snapshots, with no leader and no extra cluster call:
 * each simulator publishes its phase ({@link #SETTLED} once quiet, with its held count, which no
 * longer moves), and takes its final count only when every other live simulator is settled (or has
 * counted), no member is missing, and the echo nodes' totals were published after that settled
 * state was first seen here. Then nodes' total − others' settled counts compares like with like:
 * it equals this simulator's count exactly when the fleet-level check (nodes' total = all
 * simulators' held) holds, and a connection the servers count that no simulator holds (an outside
 * client) shows in every simulator's count. Nobody closes until every other member has counted too
 * ({@link #release}), so no close spoils another's count. A fleet that does not settle together
 * before the settle deadline is reported as <i>not comparable</i>, never as agreement: a member still
 * holding past this simulator's deadline ends the wait at once; one settling or closing is waited for.
 * The settled instant is compared in wall-clock time between processes: on several machines their
 * clocks must agree to well within a publish interval.
 *
 * <p>During the hold, {@link #held()} is the same difference from the latest snapshots: a live
 * estimate, up to a publish interval or two out while the fleet churns.
 */
public final class ClusterServerCount implements ServerCount {

  /** A simulator's phases as its snapshot publishes them ({@link NodeSnapshot#phase()}). */
  public static final String HOLD = "hold";
  public static final String SETTLE = "settle";
  public static final String SETTLED = "settled";
  public static final String COUNTED = "counted";
  public static final String CLOSE = "close";
  public static final String DONE = "done";

  private static final long POLL_MS = 100;

  private final ClusterView view;
  private final String selfId;

  public ClusterServerCount(ClusterView view, String selfId) {
    this.view = view;
    this.selfId = selfId;
  }

  @Override
  public Future<Long> held() {
    long others = 0;
    for (NodeSnapshot s : view.snapshots(NodeSnapshot.ROLE_SIMULATOR)) {
      if (!s.nodeId().equals(selfId)) {
        others += s.held();
      }
    }
    return Future.succeededFuture(view.heldByNodes() - others);
  }

  @Override
  public Future<Final> settled(Vertx vertx, long held, long deadlineNanos) {
    SettledInstant instant = new SettledInstant(selfId, wallMillis(deadlineNanos));
    // this simulator's SETTLED goes out now, not at the next tick
    return view.publishNow().transform(ar -> poll(vertx, instant, held, deadlineNanos));
  }

  private Future<Final> poll(Vertx vertx, SettledInstant instant, long held, long deadlineNanos) {
    SettledInstant.Step step = instant.step(held, view.snapshots(NodeSnapshot.ROLE_SIMULATOR), view.missing(),
        view.totals(), System.currentTimeMillis());
    if (step.result() != null) {
      return Future.succeededFuture(step.result());
    }
    if (System.nanoTime() - deadlineNanos >= 0) {
      return Future.succeededFuture(Final.notComparable("the settle deadline passed waiting for " + step.waitingFor()));
    }
    Promise<Final> next = Promise.promise();
    vertx.setTimer(POLL_MS, t -> poll(vertx, instant, held, deadlineNanos).onComplete(next));
    return next.future();
  }

  @Override
  public Future<Void> release(Vertx vertx, long deadlineNanos) {
    long deadlineMs = wallMillis(deadlineNanos);
    Promise<Void> done = Promise.promise();
    view.publishNow().onComplete(ar -> awaitOthersCounted(vertx, deadlineMs, deadlineNanos, done));
    return done.future();
  }

  /** Until no other member is about to count (settling, settled, or ending its hold before the deadline). */
  private void awaitOthersCounted(Vertx vertx, long deadlineMs, long deadlineNanos, Promise<Void> done) {
    if (SettledInstant.othersStillCounting(selfId, view.snapshots(NodeSnapshot.ROLE_SIMULATOR), deadlineMs).isEmpty()
        || System.nanoTime() - deadlineNanos >= 0) {
      done.tryComplete();
      return;
    }
    vertx.setTimer(POLL_MS, t -> awaitOthersCounted(vertx, deadlineMs, deadlineNanos, done));
  }

  private static long wallMillis(long nanos) {
    return System.currentTimeMillis() + (nanos - System.nanoTime()) / 1_000_000;
  }

  /**
   * The barrier's logic over what the view shows, without the view: whether the fleet is at one
   * settled instant yet, and if so the count. Keeps when it first saw the current settled state.
   */
  static final class SettledInstant {

    /** Either a result, or what is still awaited. */
    record Step(Final result, String waitingFor) {
    }

    private final String selfId;
    private final long deadlineMs;
    private String seen;
    private long seenSinceMs;

    SettledInstant(String selfId, long deadlineMs) {
      this.selfId = selfId;
      this.deadlineMs = deadlineMs;
    }

    Step step(long held, List<NodeSnapshot> simulators, List<ClusterView.Missing> missing, ClusterSummary.Totals totals,
        long nowMs) {
      TreeMap<String, Long> others = new TreeMap<>();
      List<String> waiting = new ArrayList<>();
      for (NodeSnapshot s : simulators) {
        if (s.nodeId().equals(selfId)) {
          continue;
        }
        switch (s.phase()) {
          case SETTLED, COUNTED -> others.put(s.nodeId(), s.held());
          case CLOSE, DONE -> waiting.add(s.nodeId() + " to finish closing and leave");
          default -> {
            if ((s.phase().equals(HOLD) || s.phase().isEmpty()) && holdsPast(s, deadlineMs)) {
              return new Step(Final.notComparable(s.nodeId() + " holds until "
                  + (s.holdEndsAtMs() == 0 ? "an unknown time" : Instant.ofEpochMilli(s.holdEndsAtMs()).toString())
                  + ", after this simulator's settle deadline " + Instant.ofEpochMilli(deadlineMs)), null);
            }
            waiting.add(s.nodeId() + " to settle");
          }
        }
      }
      if (!missing.isEmpty()) {
        waiting.add("the view to be whole (missing: "
            + String.join(", ", missing.stream().map(m -> m.last().nodeId()).toList()) + ")");
      }
      if (!waiting.isEmpty()) {
        return new Step(null, String.join("; ", waiting));
      }
      String state = others + " self=" + held + " nodes=" + totals.nodes();
      if (!state.equals(seen)) {
        seen = state;
        seenSinceMs = nowMs;
      }
      if (totals.nodes() == 0 || totals.oldestPublishedAtMs() <= seenSinceMs) {
        return new Step(null, "the echo nodes' counts published after the fleet settled");
      }
      long othersHeld = others.values().stream().mapToLong(Long::longValue).sum();
      long count = totals.held() - othersHeld;
      String what = String.format(java.util.Locale.ROOT,
          "the echo nodes' total %d (%d nodes, published after the whole fleet settled) less the %d other simulators'"
              + " settled counts %d; fleet: nodes %d, simulators %d", totals.held(), totals.nodes(), others.size(),
          othersHeld, totals.held(), othersHeld + held);
      return new Step(new Final(count, what, null,
          new ServerCount.Fleet(totals.held(), totals.nodes(), othersHeld, others.size())), null);
    }

    /** Other simulators that have not counted yet but will before {@code deadlineMs}. */
    static List<String> othersStillCounting(String selfId, List<NodeSnapshot> simulators, long deadlineMs) {
      List<String> out = new ArrayList<>();
      for (NodeSnapshot s : simulators) {
        if (s.nodeId().equals(selfId)) {
          continue;
        }
        boolean counting = s.phase().equals(SETTLE) || s.phase().equals(SETTLED)
            || (s.phase().equals(HOLD) || s.phase().isEmpty()) && !holdsPast(s, deadlineMs);
        if (counting) {
          out.add(s.nodeId());
        }
      }
      return out;
    }

    private static boolean holdsPast(NodeSnapshot s, long deadlineMs) {
      return s.holdEndsAtMs() == 0 || s.holdEndsAtMs() > deadlineMs;
    }
  }
}
