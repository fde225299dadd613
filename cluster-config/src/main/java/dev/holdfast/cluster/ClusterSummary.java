package dev.holdfast.cluster;

import com.hazelcast.cluster.Member;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's totals summed once per cluster per interval instead of once per member: only the
 * oldest Hazelcast member reads the snapshots and writes one summary entry (with a time-to-live,
 * like the snapshots); every other process reads that one entry: N + N reads per interval instead
 * of N² (measured to N = 1,000 publishers in {@code bench/results/cluster-view-2026-12-01-1024.md}:
 * 2,001 reads a second and every view correct, against 803,777 and 3% correct when every member
 * read every snapshot). {@link ClusterView} takes its per-interval totals from here.
 *
 * <p>A summary names the members it was summed over (a digest of their ids): a reader whose own
 * member list differs (a member just joined or left, or a split put the summarizer on the other
 * side) does not use it but sums the snapshots itself that interval, so a member is never counted
 * by a summary that should no longer count it. The summary also carries the members the
 * summarizer found missing (gone without leaving), so every reader flags them.
 *
 * <p>The summary holds totals only. Readers that need every row (the admin port's
 * {@code GET /cluster}, a simulator choosing targets) still read the snapshots, but on demand or at
 * a lower rate, not every interval on every member.
 */
public final class ClusterSummary {

  /** The Hazelcast map holding the one summary entry. */
  public static final String MAP = "holdfast.summary";

  private static final String KEY = "totals";

  private final HazelcastClusterManager manager;
  private final Vertx vertx;
  private final long ttlMillis;
  private final AtomicLong snapshotsRead = new AtomicLong();
  private final AtomicLong summariesWritten = new AtomicLong();
  private final AtomicLong summariesRead = new AtomicLong();
  private AsyncMap<String, String> snapshots;
  private AsyncMap<String, String> summary;

  /**
   * The totals of live snapshots, as the summarizer summed them.
   *
   * @param nodes echo nodes with a live snapshot
   * @param held connections they hold, by their own counts
   * @param oldestPublishedAtMs when the oldest echo-node snapshot summed here was published: the view's staleness
   * @param summarizedAtMs when the summary was written
   * @param simulators simulators with a live snapshot
   * @param simulatorsHeld connections they hold, by their own counts
   * @param membersDigest {@link #digest} of the Hazelcast members the summary was summed over
   * @param missing members the summarizer found gone without leaving (their totals are left out)
   */
  public record Totals(long nodes, long held, long opened, long closed, long rejected, long osEstablished,
      long oldestPublishedAtMs, long summarizedAtMs, long simulators, long simulatorsHeld, long membersDigest,
      List<ClusterView.Missing> missing) {

    /** No summary yet: nothing summed. */
    public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

    /** Totals of echo nodes only, over no particular member list. */
    public Totals(long nodes, long held, long opened, long closed, long rejected, long osEstablished,
        long oldestPublishedAtMs, long summarizedAtMs) {
      this(nodes, held, opened, closed, rejected, osEstablished, oldestPublishedAtMs, summarizedAtMs, 0, 0, 0, List.of());
    }

    public Totals {
      missing = List.copyOf(missing);
    }

    /** These totals less one snapshot they counted (its member just left). */
    Totals without(NodeSnapshot s) {
      if (s.role().equals(NodeSnapshot.ROLE_SIMULATOR)) {
        return new Totals(nodes, held, opened, closed, rejected, osEstablished, oldestPublishedAtMs, summarizedAtMs,
            Math.max(0, simulators - 1), Math.max(0, simulatorsHeld - s.held()), membersDigest, missing);
      }
      if (nodes == 0) {
        return this;
      }
      return new Totals(nodes - 1, Math.max(0, held - s.held()), Math.max(0, opened - s.opened()),
          Math.max(0, closed - s.closed()), Math.max(0, rejected - s.rejected()),
          Math.max(0, osEstablished - Math.max(0, s.osEstablished())), oldestPublishedAtMs, summarizedAtMs, simulators,
          simulatorsHeld, membersDigest, missing);
    }

    /** These totals as summed over the members of {@code digest}, with the members found missing. */
    Totals withMembers(long digest, List<ClusterView.Missing> gone) {
      return new Totals(nodes, held, opened, closed, rejected, osEstablished, oldestPublishedAtMs, summarizedAtMs,
          simulators, simulatorsHeld, digest, gone);
    }

    JsonObject toJson() {
      JsonArray gone = new JsonArray();
      missing.forEach(m -> gone.add(new JsonObject().put("since", m.sinceMs()).put("last", m.last().toJson())));
      return new JsonObject().put("nodes", nodes).put("held", held).put("opened", opened).put("closed", closed)
          .put("rejected", rejected).put("osEstablished", osEstablished)
          .put("oldestPublishedAtMs", oldestPublishedAtMs).put("summarizedAtMs", summarizedAtMs)
          .put("simulators", simulators).put("simulatorsHeld", simulatorsHeld).put("membersDigest", membersDigest)
          .put("missing", gone);
    }

    static Totals fromJson(JsonObject j) {
      List<ClusterView.Missing> gone = new ArrayList<>();
      JsonArray a = j.getJsonArray("missing", new JsonArray());
      for (int i = 0; i < a.size(); i++) {
        JsonObject m = a.getJsonObject(i);
        gone.add(new ClusterView.Missing(NodeSnapshot.fromJson(m.getJsonObject("last")), m.getLong("since")));
      }
      return new Totals(j.getLong("nodes"), j.getLong("held"), j.getLong("opened"), j.getLong("closed"),
          j.getLong("rejected"), j.getLong("osEstablished"), j.getLong("oldestPublishedAtMs"), j.getLong("summarizedAtMs"),
          j.getLong("simulators", 0L), j.getLong("simulatorsHeld", 0L), j.getLong("membersDigest", 0L), gone);
    }
  }

  public ClusterSummary(ClusterJoin join, Duration interval, int ttlIntervals) {
    this.vertx = join.vertx();
    this.manager = join.manager();
    this.ttlMillis = interval.toMillis() * ttlIntervals;
  }

  /** Opens the two maps; call once before {@link #summarizeIfOldest()} or {@link #read()}. */
  public Future<Void> open() {
    return vertx.sharedData().<String, String>getAsyncMap(ClusterView.MAP)
        .compose(s -> {
          snapshots = s;
          return vertx.sharedData().<String, String>getAsyncMap(MAP);
        })
        .map(m -> {
          summary = m;
          return null;
        });
  }

  /** True on the one member that sums: the oldest, which Hazelcast lists first on every member alike. */
  public boolean isSummarizer() {
    return manager.getHazelcastInstance().getCluster().getMembers().iterator().next().localMember();
  }

  /**
   * On the oldest member only: reads every snapshot once and writes their totals. Elsewhere does
   * nothing, so every process may call it every interval and the duty moves when the oldest leaves.
   */
  public Future<Void> summarizeIfOldest() {
    if (!isSummarizer()) {
      return Future.succeededFuture();
    }
    return snapshots.entries().compose(entries -> {
      snapshotsRead.addAndGet(entries.size());
      Collection<Member> members = manager.getHazelcastInstance().getCluster().getMembers();
      // snapshots name their member by Hazelcast's member id (ClusterView) or by Vert.x's node id: either is live
      Set<String> live = memberIds(members);
      live.addAll(manager.getNodes());
      return write(sum(entries, live, System.currentTimeMillis()).withMembers(digest(members), List.of()));
    });
  }

  /** Writes {@code totals} as the cluster's summary (the summarizer's {@link ClusterView} reads the snapshots itself). */
  Future<Void> write(Totals totals) {
    summariesWritten.incrementAndGet();
    return summary.put(KEY, totals.toJson().encode(), ttlMillis);
  }

  /** The latest summary: one map read. {@link Totals#NONE} before the first summary is written. */
  public Future<Totals> read() {
    return summary.get(KEY).map(json -> {
      summariesRead.incrementAndGet();
      return json == null ? Totals.NONE : Totals.fromJson(new JsonObject(json));
    });
  }

  /**
   * Sums the live snapshots of members still in the cluster, as {@link ClusterView} keeps them:
   * tombstones and the snapshots they name are skipped.
   */
  static Totals sum(Map<String, String> entries, Set<String> members, long now) {
    Set<String> left = new HashSet<>();
    for (String key : entries.keySet()) {
      if (key.startsWith(ClusterView.LEFT_PREFIX)) {
        left.add(key.substring(ClusterView.LEFT_PREFIX.length()));
      }
    }
    List<NodeSnapshot> live = new ArrayList<>(entries.size());
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (!e.getKey().startsWith(ClusterView.LEFT_PREFIX)) {
        NodeSnapshot s = NodeSnapshot.fromJson(new JsonObject(e.getValue()));
        if (members.contains(s.memberId()) && !left.contains(s.nodeId())) {
          live.add(s);
        }
      }
    }
    return sum(live, now);
  }

  /** Sums snapshots already known to be live. */
  static Totals sum(List<NodeSnapshot> live, long now) {
    long nodes = 0;
    long held = 0;
    long opened = 0;
    long closed = 0;
    long rejected = 0;
    long os = 0;
    long oldest = now;
    long simulators = 0;
    long simulatorsHeld = 0;
    for (NodeSnapshot s : live) {
      if (s.role().equals(NodeSnapshot.ROLE_SIMULATOR)) {
        simulators++;
        simulatorsHeld += s.held();
      } else if (s.role().equals(NodeSnapshot.ROLE_NODE)) {
        nodes++;
        held += s.held();
        opened += s.opened();
        closed += s.closed();
        rejected += s.rejected();
        os += Math.max(0, s.osEstablished());
        oldest = Math.min(oldest, s.publishedAtMs());
      }
    }
    return new Totals(nodes, held, opened, closed, rejected, os, oldest, now, simulators, simulatorsHeld, 0, List.of());
  }

  /** The ids of {@code members}, as the snapshots name them. */
  static Set<String> memberIds(Collection<Member> members) {
    Set<String> ids = new HashSet<>();
    members.forEach(m -> ids.add(m.getUuid().toString()));
    return ids;
  }

  /** A digest of a member list that does not depend on its order: equal lists, equal digests. */
  static long digest(Collection<Member> members) {
    long d = 0;
    for (Member m : members) {
      UUID u = m.getUuid();
      d += mix(u.getMostSignificantBits() ^ Long.rotateLeft(u.getLeastSignificantBits(), 29));
    }
    return d == 0 ? 1 : d; // 0 means "no member list" (a summary of another version, or none)
  }

  private static long mix(long z) { // SplitMix64's finalizer: spreads every bit of a member's id
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Snapshots this process read while summarizing: zero except on the summarizer. */
  public long snapshotsRead() {
    return snapshotsRead.get();
  }

  /** Summaries this process wrote. */
  public long summariesWritten() {
    return summariesWritten.get();
  }

  /** Summaries this process read. */
  public long summariesRead() {
    return summariesRead.get();
  }
}
