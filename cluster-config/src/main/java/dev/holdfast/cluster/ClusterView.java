package dev.holdfast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.LocalMapStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The cluster's connection counts, as every member sees them, without a cluster call per
 * connection: each process publishes one snapshot of its counts per interval to a Hazelcast map,
 * with a time-to-live of a few intervals. Readers (the admin port, metrics, the simulator's target
 * choice) read the copy kept in memory.
 *
 * <p><b>Totals from one summary.</b> The per-interval totals ({@link #heldByNodes()}, the
 * {@code holdfast_cluster_*} gauges, {@code GET /cluster}'s totals) come from the
 * {@link ClusterSummary}: the oldest member reads every snapshot and writes one summary entry each
 * interval, every other member reads that entry. Cluster-wide reads per interval are N + N instead
 * of N² (every member reading every snapshot stopped giving correct views at N = 300 in
 * {@code bench/results/cluster-view-2026-12-01-1024.md}; the summary stayed correct to N = 1,000). A
 * summary over a member list other than this member's (a join or leave not yet summarized, the
 * summarizer dead or on the other side of a split) is not used: that interval this member sums
 * the snapshots itself, so the totals never count a member this side no longer has. When the
 * summarizer dies the next oldest sums from its next tick on, well within the time-to-live.
 *
 * <p><b>Rows on demand.</b> Every snapshot (the rows of {@code GET /cluster}, the simulators'
 * fleet and targets) is read every {@link #readRowsEvery rowsEvery} intervals (default
 * {@value #DEFAULT_ROWS_EVERY}; simulators ask for every interval, their fleet's membership needs
 * it), on demand ({@link #freshJson()}), on the summarizer every interval, and after a member leaves.
 *
 * <p>A node that leaves removes its own snapshot; a member-left event removes a dead member's at
 * once; the time-to-live is the backstop for anything else. Cluster writes per second are
 * {@code members / interval} to the snapshot map plus one summary, whatever the connection churn.
 *
 * <p>Partitions: a process that leaves writes a tombstone ({@code left:<node id>}, living a
 * minute) before removing its snapshot. A snapshot that vanishes without one (its member
 * killed, cut off by the network or stuck: from here they look the same) is listed as missing, with its last counts,
 * for {@link #MISSING_RETENTION} or until it is seen again; meanwhile the view says it is
 * {@code partial} and its totals are those of the members it can see, never topped up with the
 * missing ones' last counts. The summarizer finds them in its reads and passes them on in the
 * summary; every member also finds them in its own row reads and member-left events. Snapshots are
 * keyed by node id, so a node is never counted twice, not even while a split-brain merge brings
 * back an entry from the other side.
 */
public final class ClusterView {

  /** The Hazelcast map holding one snapshot per process, keyed by node id. */
  public static final String MAP = "holdfast.snapshots";

  /** Key prefix of the tombstone a leaving process writes, so readers can tell a leave from a loss. */
  static final String LEFT_PREFIX = "left:";

  /**
   * How long a tombstone lives: far longer than a snapshot, so that every reader sees it even when
   * the member-left event comes long after the snapshot was removed (a drain lasts seconds).
   */
  static final Duration LEFT_TTL = Duration.ofMinutes(1);

  /** How long a member that vanished without leaving stays flagged as missing, unless it comes back. */
  public static final Duration MISSING_RETENTION = Duration.ofMinutes(2);

  /** Intervals between two reads of every snapshot on a member that does not summarize, unless asked sooner. */
  public static final int DEFAULT_ROWS_EVERY = 10;

  private static final Logger LOG = Logger.getLogger(ClusterView.class.getName());

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final Duration interval;
  private final int ttlIntervals;
  private final ClusterSummary summary;
  private int rowsEvery = DEFAULT_ROWS_EVERY;
  private volatile List<NodeSnapshot> snapshots = List.of();
  private volatile long rowsReadAtNanos;
  private volatile ClusterSummary.Totals totals = ClusterSummary.Totals.NONE;
  private volatile boolean totalsSummedHere;
  // node id -> its last snapshot and when it went missing; only touched on the view's context
  private final Map<String, Missing> missing = new LinkedHashMap<>();
  private List<Missing> missingInSummary = List.of();
  private volatile List<Missing> missingNow = List.of();
  private volatile long publishes;
  private volatile long rowReads;
  private volatile long ownSums;
  private long ticks;
  private long appliedTick;
  private Supplier<NodeSnapshot> local;
  private AsyncMap<String, String> map;
  private Context context;
  private long timer = -1;
  private UUID membershipRegistration;
  private String ownNodeId;

  public ClusterView(ClusterJoin join, Duration interval, int ttlIntervals) {
    this.vertx = join.vertx();
    this.manager = join.manager();
    this.interval = interval;
    this.ttlIntervals = ttlIntervals;
    this.summary = new ClusterSummary(join, interval, ttlIntervals);
  }

  /**
   * Reads every snapshot every {@code intervals} publish intervals (1 = every interval) when this
   * member is not the summarizer. Set before {@link #start}.
   */
  public ClusterView readRowsEvery(int intervals) {
    if (intervals < 1) {
      throw new IllegalArgumentException("rows every " + intervals + " intervals");
    }
    this.rowsEvery = intervals;
    return this;
  }

  /**
   * Publishes {@code local} now and every interval from here on. The supplier gives the counts;
   * the member id and time are filled in here.
   */
  public Future<Void> start(Supplier<NodeSnapshot> local) {
    this.local = local;
    this.context = vertx.getOrCreateContext();
    return summary.open().compose(v -> vertx.sharedData().<String, String>getAsyncMap(MAP)).compose(m -> {
      map = m;
      membershipRegistration = manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          context.runOnContext(v -> tick());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          String gone = event.getMember().getUuid().toString();
          context.runOnContext(v -> {
            dropMember(gone);
            tick(); // the totals may count it: the summary is over the old member list now, so this sums here
          });
        }
      });
      Promise<Void> first = Promise.promise();
      context.runOnContext(v -> { // ticks, membership events and stop all run on this one context
        timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
        tick().onComplete(first);
      });
      return first.future();
    });
  }

  /** Publishes this process's snapshot now rather than at the next tick (a simulator's phase changed). */
  public Future<Void> publishNow() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> tick().onComplete(done));
    return done.future();
  }

  /** One publish and the totals (and the rows when due): the only cluster calls the view makes. */
  private Future<Void> tick() {
    NodeSnapshot mine = local.get();
    // the local member's id as Hazelcast has it now: a split-brain merge gives the merging side new ids
    String memberId = manager.getHazelcastInstance().getCluster().getLocalMember().getUuid().toString();
    mine = mine.by(memberId, System.currentTimeMillis());
    boolean first = ownNodeId == null;
    ownNodeId = mine.nodeId();
    publishes++;
    String json = mine.toJson().encode();
    // a node back under the same id clears the tombstone of its last life before it publishes
    Future<?> cleared = first ? map.remove(LEFT_PREFIX + ownNodeId) : Future.succeededFuture();
    return cleared.compose(v -> map.put(ownNodeId, json, interval.toMillis() * ttlIntervals))
        .compose(v -> totalsAndRows())
        .onFailure(e -> LOG.warning("cluster view refresh failed: " + e));
  }

  /** The summarizer sums the rows and writes the summary; any other member reads it, and the rows when due. */
  private Future<Void> totalsAndRows() {
    long tick = ++ticks;
    Collection<Member> members = manager.getHazelcastInstance().getCluster().getMembers();
    long digest = ClusterSummary.digest(members);
    if (summary.isSummarizer()) {
      // taking over: what the last summarizer found missing stays missing here
      missingInSummary.forEach(m -> missing.putIfAbsent(m.last().nodeId(), m));
      missingInSummary = List.of();
      return readRows().compose(live -> {
        refreshMissing(System.currentTimeMillis());
        ClusterSummary.Totals t = ClusterSummary.sum(live, System.currentTimeMillis()).withMembers(digest, List.copyOf(missing.values()));
        applyTotals(tick, digest, t, true);
        return summary.write(t);
      });
    }
    boolean rowsDue = tick % rowsEvery == 0;
    return summary.read().compose(t -> {
      if (t.membersDigest() == digest) {
        if (applyTotals(tick, digest, t, false)) {
          missingInSummary = t.missing();
          refreshMissing(System.currentTimeMillis());
        }
        return rowsDue ? readRows().<Void>mapEmpty() : Future.<Void>succeededFuture();
      }
      // a summary over another member list, or none yet: this interval's totals are summed here
      ownSums++;
      return readRows().map(live -> {
        applyTotals(tick, digest, ClusterSummary.sum(live, System.currentTimeMillis()).withMembers(digest, List.of()), true);
        return (Void) null;
      });
    });
  }

  /**
   * Takes {@code t} as the totals unless a later tick's are already in, or the member list changed
   * since this tick began (its totals may count a member gone since: the tick the change started sums without it).
   */
  private boolean applyTotals(long tick, long digest, ClusterSummary.Totals t, boolean summedHere) {
    if (tick < appliedTick || ClusterSummary.digest(manager.getHazelcastInstance().getCluster().getMembers()) != digest) {
      return false;
    }
    appliedTick = tick;
    totals = t;
    totalsSummedHere = summedHere;
    return true;
  }

  /**
   * Reads every snapshot: the rows, and what vanished since the last read without a tombstone
   * (flagged missing). Runs on the view's context.
   */
  private Future<List<NodeSnapshot>> readRows() {
    return map.entries().map(entries -> {
      rowReads += entries.size();
      rowsReadAtNanos = System.nanoTime();
      Set<String> left = new HashSet<>();
      for (String key : entries.keySet()) {
        if (key.startsWith(LEFT_PREFIX)) {
          left.add(key.substring(LEFT_PREFIX.length()));
        }
      }
      List<NodeSnapshot> before = snapshots;
      snapshots = live(entries, left);
      long now = System.currentTimeMillis();
      Set<String> seen = new HashSet<>();
      snapshots.forEach(sn -> seen.add(sn.nodeId()));
      for (NodeSnapshot sn : before) {
        if (!seen.contains(sn.nodeId()) && !left.contains(sn.nodeId()) && !sn.nodeId().equals(ownNodeId)) {
          missing.putIfAbsent(sn.nodeId(), new Missing(sn, now)); // gone without a word
        }
      }
      missing.keySet().removeAll(left);
      refreshMissing(now);
      return snapshots;
    });
  }

  /**
   * {@link #toJson()} with rows at most one interval old: reads them first if they are older
   * (the admin port's {@code GET /cluster} asks for this; a reader that asks more often than once
   * an interval gets the rows of this interval).
   */
  public Future<JsonObject> freshJson() {
    if (context == null || rowReads > 0 && System.nanoTime() - rowsReadAtNanos < interval.toNanos()) {
      return Future.succeededFuture(toJson());
    }
    Promise<JsonObject> done = Promise.promise();
    context.runOnContext(v -> readRows().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning("cluster view rows: " + ar.cause()); // the rows as last read, then
      }
      done.complete(toJson());
    }));
    return done.future();
  }

  /** Parses the snapshots, keeping only those of members still in the cluster that have not left. */
  private List<NodeSnapshot> live(Map<String, String> entries, Set<String> left) {
    Set<String> members = memberIds();
    List<NodeSnapshot> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (e.getKey().startsWith(LEFT_PREFIX)) {
        continue;
      }
      NodeSnapshot s = NodeSnapshot.fromJson(new JsonObject(e.getValue()));
      if (members.contains(s.memberId()) && !left.contains(s.nodeId())) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(NodeSnapshot::nodeId));
    return List.copyOf(out);
  }

  /**
   * A member left: drop its snapshots from the view at once and from the map (any survivor may).
   * One that left cleanly removed its snapshot first, so finding it still here means the member
   * died or is cut off: it is flagged missing.
   */
  private void dropMember(String memberId) {
    List<NodeSnapshot> kept = new ArrayList<>();
    List<NodeSnapshot> dropped = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (NodeSnapshot s : snapshots) {
      if (s.memberId().equals(memberId)) {
        map.remove(s.nodeId());
        dropped.add(s);
        missing.putIfAbsent(s.nodeId(), new Missing(s, now));
      } else {
        kept.add(s);
      }
    }
    snapshots = List.copyOf(kept);
    refreshMissing(now);
    // out of the totals at once, by its last row here (the summary's own figure on the summarizer, whose rows it
    // summed); the tick that follows sums without it
    ClusterSummary.Totals t = totals;
    for (NodeSnapshot s : dropped) {
      t = t.without(s);
    }
    totals = t;
  }

  /** A missing node seen live again is no longer missing; one gone longer than the retention is forgotten. */
  private void refreshMissing(long now) {
    if (!missing.isEmpty()) {
      for (NodeSnapshot s : snapshots) {
        missing.remove(s.nodeId());
      }
      missing.values().removeIf(m -> now - m.sinceMs() > MISSING_RETENTION.toMillis());
    }
    if (missingInSummary.isEmpty()) {
      missingNow = missing.isEmpty() ? List.of() : List.copyOf(missing.values());
      return;
    }
    // the summarizer's finds too, unless this member has seen them live since
    Map<String, Missing> all = new LinkedHashMap<>(missing);
    Set<String> live = new HashSet<>();
    snapshots.forEach(s -> live.add(s.nodeId()));
    for (Missing m : missingInSummary) {
      if (!live.contains(m.last().nodeId()) || now - rowsReadAtMillis() > interval.toMillis() * ttlIntervals) {
        all.putIfAbsent(m.last().nodeId(), m);
      }
    }
    missingNow = List.copyOf(all.values());
  }

  private long rowsReadAtMillis() {
    return System.currentTimeMillis() - (System.nanoTime() - rowsReadAtNanos) / 1_000_000;
  }

  /**
   * A node that dropped out of the cluster without leaving it.
   *
   * @param last its last snapshot seen here
   * @param sinceMs when it went missing, epoch milliseconds
   */
  public record Missing(NodeSnapshot last, long sinceMs) {
  }

  /** Nodes (echo nodes and simulators) that dropped out without leaving, within the retention. */
  public List<Missing> missing() {
    return missingNow;
  }

  /** True while some member is missing: the totals are those of what this side sees, not of the whole. */
  public boolean partial() {
    return !missingNow.isEmpty();
  }

  /**
   * Stops publishing, writes this process's tombstone and removes its snapshot, so it leaves the
   * view at once and nobody counts it missing.
   */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (membershipRegistration != null) {
      manager.getHazelcastInstance().getCluster().removeMembershipListener(membershipRegistration);
    }
    if (ownNodeId == null || map == null) {
      return Future.succeededFuture();
    }
    return map.put(LEFT_PREFIX + ownNodeId, "left", LEFT_TTL.toMillis())
        .compose(v -> map.remove(ownNodeId)).mapEmpty();
  }

  /** How often this process publishes its snapshot and reads everyone else's. */
  public Duration interval() {
    return interval;
  }

  /** Live snapshots of every role, sorted by node id. */
  public List<NodeSnapshot> snapshots() {
    return snapshots;
  }

  /** Live snapshots of one role, sorted by node id. */
  public List<NodeSnapshot> snapshots(String role) {
    return snapshots.stream().filter(s -> s.role().equals(role)).toList();
  }

  /** Connections held by all echo nodes, by their own counts, as last summed (by the summarizer, or here). */
  public long heldByNodes() {
    return totals.held();
  }

  /**
   * The latest totals: the summary's, or summed here when there was no summary over this member's
   * member list. {@link ClusterSummary.Totals#oldestPublishedAtMs()} says how old the echo nodes'
   * snapshots summed in it are.
   */
  public ClusterSummary.Totals totals() {
    return totals;
  }

  /** True while Hazelcast counts {@code memberId} in the cluster (it has not left or been found dead). */
  public boolean isMember(String memberId) {
    return memberIds().contains(memberId);
  }

  /** The member ids as Hazelcast has them now (Vert.x's copy is not refreshed when a merge renames members). */
  private Set<String> memberIds() {
    Set<String> ids = new HashSet<>();
    for (var m : manager.getHazelcastInstance().getCluster().getMembers()) {
      ids.add(m.getUuid().toString());
    }
    return ids;
  }

  /** Hazelcast members this process sees (echo nodes and simulators alike). */
  public int members() {
    return manager.getHazelcastInstance().getCluster().getMembers().size();
  }

  public String clusterName() {
    return manager.getHazelcastInstance().getConfig().getClusterName();
  }

  /**
   * Writes (put, set, remove) to the snapshot map executed on this member as partition owner:
   * Hazelcast's own count, so summed over all members it is every write the cluster made.
   */
  public long mapWritesOwnedHere() {
    LocalMapStats stats = manager.getHazelcastInstance().getMap(MAP).getLocalMapStats();
    return stats.getPutOperationCount() + stats.getSetOperationCount() + stats.getRemoveOperationCount();
  }

  /**
   * What {@code GET /cluster} shows: one row per live echo node, simulators apart, as last read
   * (see {@link #freshJson()}), and the totals of this interval's summary.
   */
  public JsonObject toJson() {
    long now = System.currentTimeMillis();
    JsonArray nodes = new JsonArray();
    JsonArray simulators = new JsonArray();
    for (NodeSnapshot s : snapshots) {
      JsonObject row = s.toJson().put("ageMs", Math.max(0, now - s.publishedAtMs()));
      row.remove("publishedAtMs");
      (s.role().equals(NodeSnapshot.ROLE_NODE) ? nodes : simulators).add(row);
    }
    JsonArray missingRows = new JsonArray();
    long heldByMissing = 0;
    for (Missing m : missingNow) {
      NodeSnapshot s = m.last();
      missingRows.add(new JsonObject().put("nodeId", s.nodeId()).put("memberId", s.memberId()).put("role", s.role())
          .put("lastHeld", s.held()).put("missingForMs", Math.max(0, now - m.sinceMs())));
      if (s.role().equals(NodeSnapshot.ROLE_NODE)) {
        heldByMissing += s.held();
      }
    }
    ClusterSummary.Totals t = totals;
    return new JsonObject()
        .put("cluster", clusterName())
        .put("members", members())
        .put("partial", !missingRows.isEmpty())
        .put("missingMembers", missingRows)
        .put("publishIntervalMs", interval.toMillis())
        .put("nodes", nodes)
        .put("simulators", simulators)
        .put("rowsAgeMs", rowsReadAtNanos == 0 ? null : (System.nanoTime() - rowsReadAtNanos) / 1_000_000)
        .put("totals", new JsonObject().put("nodes", t.nodes()).put("held", t.held()).put("opened", t.opened())
            .put("closed", t.closed()).put("rejected", t.rejected()).put("osEstablished", t.osEstablished())
            .put("lastHeldByMissing", heldByMissing).put("simulators", t.simulators())
            .put("simulatorsHeld", t.simulatorsHeld())
            .put("summedBy", totalsSummedHere ? "this member" : "the summarizer")
            .put("ageMs", t.summarizedAtMs() == 0 ? null : Math.max(0, now - t.summarizedAtMs())))
        .put("hazelcast", new JsonObject().put("snapshotWritesOwnedHere", mapWritesOwnedHere())
            .put("publishesFromHere", publishes).put("summarizer", summary.isSummarizer())
            .put("snapshotsReadHere", rowReads).put("summariesReadHere", summary.summariesRead())
            .put("summariesWrittenHere", summary.summariesWritten()).put("intervalsSummedHereForWantOfASummary", ownSums));
  }

  /** The cluster meters: total held, node count, the oldest snapshot's age, and this process's publishes and reads. */
  public void registerMetrics(MeterRegistry registry) {
    Gauge.builder("holdfast.cluster.connections", this, ClusterView::heldByNodes)
        .description("WebSocket connections held by all echo nodes of the cluster, from the cluster's summary of their snapshots")
        .register(registry);
    Gauge.builder("holdfast.cluster.nodes", this, v -> v.totals().nodes())
        .description("Echo nodes with a live snapshot")
        .register(registry);
    Gauge.builder("holdfast.cluster.missing", this, v -> v.missing().size())
        .description("Nodes that dropped out without leaving (dead or cut off); the cluster totals leave them out")
        .register(registry);
    Gauge.builder("holdfast.cluster.members", this, ClusterView::members)
        .description("Hazelcast members this process sees")
        .register(registry);
    Gauge.builder("holdfast.cluster.snapshot.age.max", this, ClusterView::oldestSnapshotAgeSeconds)
        .baseUnit("seconds")
        .description("Age of the oldest echo-node snapshot in the totals; beyond a few publish intervals a member is stuck")
        .register(registry);
    FunctionCounter.builder("holdfast.cluster.publishes", this, v -> v.publishes)
        .description("Snapshots this process wrote to the cluster map: one per interval, never one per connection")
        .register(registry);
    FunctionCounter.builder("holdfast.cluster.snapshot.reads", this, v -> v.rowReads)
        .description("Snapshots this process read: every interval on the summarizer, at a lower rate elsewhere")
        .register(registry);
  }

  private double oldestSnapshotAgeSeconds() {
    ClusterSummary.Totals t = totals;
    return t.nodes() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - t.oldestPublishedAtMs()) / 1000.0;
  }
}
