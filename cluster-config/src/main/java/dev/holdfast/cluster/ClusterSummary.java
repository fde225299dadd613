package dev.holdfast.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's totals summed once per cluster per interval instead of once per member. The view of
 * {@link ClusterView} makes every member read every snapshot every interval: N members, N
 * snapshots, N² reads cluster-wide, which is what binds first as clusters grow (see
 * {@code bench/results/cluster-view-*}). Here only the oldest Hazelcast member reads the
 * snapshots and writes one summary entry (with a time-to-live, like the snapshots); every other
 * process reads that one entry: N + N reads per interval.
 *
 * <p>The summary holds totals only. Readers that need every row (the admin port's
 * {@code GET /cluster}, a simulator choosing targets) still read the snapshots, but on demand,
 * not every interval on every member.
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
   * The totals of live echo-node snapshots.
   *
   * @param nodes echo nodes with a live snapshot
   * @param held connections they hold, by their own counts
   * @param oldestPublishedAtMs when the oldest snapshot summed here was published: the view's staleness
   * @param summarizedAtMs when the summary was written
   */
  public record Totals(long nodes, long held, long opened, long closed, long rejected, long osEstablished,
      long oldestPublishedAtMs, long summarizedAtMs) {

    /** No summary yet: nothing summed. */
    public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

    JsonObject toJson() {
      return new JsonObject().put("nodes", nodes).put("held", held).put("opened", opened).put("closed", closed)
          .put("rejected", rejected).put("osEstablished", osEstablished)
          .put("oldestPublishedAtMs", oldestPublishedAtMs).put("summarizedAtMs", summarizedAtMs);
    }

    static Totals fromJson(JsonObject j) {
      return new Totals(j.getLong("nodes"), j.getLong("held"), j.getLong("opened"), j.getLong("closed"),
          j.getLong("rejected"), j.getLong("osEstablished"), j.getLong("oldestPublishedAtMs"), j.getLong("summarizedAtMs"));
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
      Totals totals = sum(entries, new HashSet<>(manager.getNodes()), System.currentTimeMillis());
      summariesWritten.incrementAndGet();
      return summary.put(KEY, totals.toJson().encode(), ttlMillis);
    });
  }

  /** The latest summary: one map read. {@link Totals#NONE} before the first summary is written. */
  public Future<Totals> read() {
    return summary.get(KEY).map(json -> {
      summariesRead.incrementAndGet();
      return json == null ? Totals.NONE : Totals.fromJson(new JsonObject(json));
    });
  }

  /** Sums the echo-node snapshots of members still in the cluster, as {@link ClusterView} keeps them. */
  static Totals sum(Map<String, String> entries, Set<String> members, long now) {
    long nodes = 0;
    long held = 0;
    long opened = 0;
    long closed = 0;
    long rejected = 0;
    long os = 0;
    long oldest = now;
    for (String json : entries.values()) {
      NodeSnapshot s = NodeSnapshot.fromJson(new JsonObject(json));
      if (!members.contains(s.memberId()) || !s.role().equals(NodeSnapshot.ROLE_NODE)) {
        continue;
      }
      nodes++;
      held += s.held();
      opened += s.opened();
      closed += s.closed();
      rejected += s.rejected();
      os += Math.max(0, s.osEstablished());
      oldest = Math.min(oldest, s.publishedAtMs());
    }
    return new Totals(nodes, held, opened, closed, rejected, os, oldest, now);
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
