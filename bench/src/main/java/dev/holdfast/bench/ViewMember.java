package dev.holdfast.bench;

import com.hazelcast.config.Config;
import dev.holdfast.cluster.ClusterConfigs;
import dev.holdfast.cluster.ClusterJoin;
import dev.holdfast.cluster.ClusterSummary;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.cluster.NodeSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One real Hazelcast member of the cluster-view benchmark, hosting many simulated publishers.
 *
 * <p>Design {@code all-read} (the view before the summary): each publisher is a real {@link ClusterView}
 * told to read every snapshot every interval ({@link ClusterView#readRowsEvery readRowsEvery(1)}), as every
 * node's view did until its totals came from {@link ClusterSummary}; the reads counted are those
 * {@code entries()} calls (the one summary entry each view also reads is left out). Design {@code summary}: each
 * publisher writes the same snapshot to the same map with the same time-to-live and reads the one
 * entry of {@link ClusterSummary}; the member's {@code ClusterSummary} sums when it is the oldest.
 *
 * <p>{@link #sample()} gives one interval's measurements: map writes owned here, snapshot reads made
 * here, CPU and heap of this process, and what every publisher's view says (nodes, total, age).
 */
final class ViewMember {

  /** The designs compared. */
  static final List<String> DESIGNS = List.of("all-read", "summary");

  private final String design;
  private final int first;
  private final int count;
  private final Duration interval;
  private final int ttlIntervals;
  private final ClusterJoin join;
  private final List<ClusterView> views = new ArrayList<>();
  private final List<SimpleMeterRegistry> viewMeters = new ArrayList<>();
  private final List<ClusterSummary.Totals> summaryViews = new ArrayList<>();
  private ClusterSummary summary;
  private AsyncMap<String, String> snapshots;
  private final List<Long> timers = new ArrayList<>();
  private long lastWrites;
  private long lastReads;
  private long lastTicks;
  private long lastCpuNanos;
  private long lastSampleNanos;
  private volatile Future<?> allStarted;

  private ViewMember(String design, int first, int count, Duration interval, int ttlIntervals, ClusterJoin join) {
    this.design = design;
    this.first = first;
    this.count = count;
    this.interval = interval;
    this.ttlIntervals = ttlIntervals;
    this.join = join;
  }

  /** The held count publisher {@code i} reports: distinct per publisher, so a lost or doubled one shows in the total. */
  static long heldOf(int i) {
    return 1_000 + i;
  }

  /** The total every view must show when publishers {@code 0..n-1} are all live. */
  static long expectedTotal(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += heldOf(i);
    }
    return sum;
  }

  /** Joins the loopback cluster {@code cluster} as one Hazelcast member (not yet publishing). */
  static ViewMember join(String cluster, String design, int first, int count, Duration interval, int ttlIntervals)
      throws Exception {
    if (!DESIGNS.contains(design)) {
      throw new IllegalArgumentException("--design " + design + ": one of " + DESIGNS);
    }
    Config config = ClusterConfigs.load("loopback", cluster, "--cluster");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    ClusterJoin join = ClusterJoin.join(new VertxOptions(), new SimpleMeterRegistry(), config)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ViewMember(design, first, count, interval, ttlIntervals, join);
  }

  int clusterSize() {
    return join.manager().getNodes().size();
  }

  /**
   * Starts every publisher, their first publishes spread over one interval as real nodes' phases
   * are; returns at once ({@link #allStarted()} says when they all are).
   */
  void start() throws Exception {
    ManagementFactory.getMemoryMXBean(); // load before the first sample
    lastCpuNanos = cpuNanos();
    lastSampleNanos = System.nanoTime();
    if (design.equals("summary")) {
      summary = new ClusterSummary(join, interval, ttlIntervals);
      summary.open().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      snapshots = join.vertx().sharedData().<String, String>getAsyncMap(ClusterView.MAP)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      synchronized (timers) {
        timers.add(join.vertx().setPeriodic(interval.toMillis(), id -> summary.summarizeIfOldest()));
      }
    }
    List<Future<?>> started = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int i = first + k;
      long phase = Math.max(1, interval.toMillis() * k / Math.max(1, count));
      Promise<Void> p = Promise.promise();
      started.add(p.future());
      join.vertx().setTimer(phase, t -> startPublisher(i).onComplete(p));
    }
    allStarted = Future.all(started);
  }

  /** True once every publisher of this member has published and (all-read) read the view once. */
  boolean allStarted() {
    return allStarted != null && allStarted.isComplete();
  }

  private Future<Void> startPublisher(int i) {
    NodeSnapshot base = new NodeSnapshot("sim-" + i, "", NodeSnapshot.ROLE_NODE, "ws://127.0.0.1:1/ws", heldOf(i),
        heldOf(i), 0, 0, heldOf(i), 0);
    if (design.equals("all-read")) {
      ClusterView view = new ClusterView(join, interval, ttlIntervals).readRowsEvery(1);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      view.registerMetrics(meters);
      synchronized (views) {
        views.add(view);
        viewMeters.add(meters);
      }
      return view.start(() -> base);
    }
    int slot;
    synchronized (summaryViews) {
      slot = summaryViews.size();
      summaryViews.add(ClusterSummary.Totals.NONE);
    }
    String memberId = join.manager().getNodeId();
    Runnable tick = () -> {
      // the same write a node's ClusterView makes: its snapshot, in the same map, with the same time-to-live
      NodeSnapshot mine = new NodeSnapshot(base.nodeId(), memberId, base.role(), base.wsUrl(), base.held(),
          base.opened(), base.closed(), base.rejected(), base.osEstablished(), System.currentTimeMillis());
      snapshots.put(mine.nodeId(), mine.toJson().encode(), interval.toMillis() * ttlIntervals)
          .compose(v -> summary.read())
          .onSuccess(t -> {
            synchronized (summaryViews) {
              summaryViews.set(slot, t);
            }
          });
    };
    tick.run();
    synchronized (timers) {
      timers.add(join.vertx().setPeriodic(interval.toMillis(), id -> tick.run()));
    }
    return Future.succeededFuture();
  }

  /** One interval's measurements, since the previous sample. */
  JsonObject sample(long expectedNodes, long expectedTotal) {
    long now = System.currentTimeMillis();
    long nanos = System.nanoTime();
    long cpu = cpuNanos();
    com.hazelcast.map.LocalMapStats stats = join.manager().getHazelcastInstance().getMap(ClusterView.MAP).getLocalMapStats();
    long writes = stats.getPutOperationCount() + stats.getSetOperationCount(); // Vert.x's put with a TTL is a set
    long reads;
    long minNodes = Long.MAX_VALUE;
    long maxNodes = 0;
    long maxAgeMs = 0;
    int correct = 0;
    int readers;
    if (design.equals("all-read")) {
      List<ClusterView> vs;
      List<SimpleMeterRegistry> ms;
      synchronized (views) {
        vs = List.copyOf(views);
        ms = List.copyOf(viewMeters);
      }
      readers = vs.size();
      long ticks = 0;
      for (int k = 0; k < vs.size(); k++) {
        ClusterView v = vs.get(k);
        ticks += (long) ms.get(k).get("holdfast.cluster.publishes").functionCounter().count();
        List<NodeSnapshot> seen = v.snapshots(NodeSnapshot.ROLE_NODE);
        long total = 0;
        long oldest = now;
        for (NodeSnapshot s : seen) {
          total += s.held();
          oldest = Math.min(oldest, s.publishedAtMs());
        }
        minNodes = Math.min(minNodes, seen.size());
        maxNodes = Math.max(maxNodes, seen.size());
        maxAgeMs = Math.max(maxAgeMs, seen.isEmpty() ? 0 : now - oldest);
        correct += seen.size() == expectedNodes && total == expectedTotal ? 1 : 0;
      }
      // each tick of a ClusterView reads the whole map (entries() of every live snapshot)
      reads = (ticks - lastTicks) * maxNodes;
      lastTicks = ticks;
    } else {
      List<ClusterSummary.Totals> ts;
      synchronized (summaryViews) {
        ts = List.copyOf(summaryViews);
      }
      readers = ts.size();
      for (ClusterSummary.Totals t : ts) {
        minNodes = Math.min(minNodes, t.nodes());
        maxNodes = Math.max(maxNodes, t.nodes());
        maxAgeMs = Math.max(maxAgeMs, t.nodes() == 0 ? 0 : now - t.oldestPublishedAtMs());
        correct += t.nodes() == expectedNodes && t.held() == expectedTotal ? 1 : 0;
      }
      long readsNow = summary.snapshotsRead() + summary.summariesRead();
      reads = readsNow - lastReads;
      lastReads = readsNow;
    }
    long writesDelta = writes - lastWrites;
    lastWrites = writes;
    double seconds = (nanos - lastSampleNanos) / 1e9;
    double cores = (cpu - lastCpuNanos) / 1e9 / seconds;
    lastCpuNanos = cpu;
    lastSampleNanos = nanos;
    return new JsonObject()
        .put("design", design)
        .put("member", join.manager().getNodeId())
        .put("members", clusterSize())
        .put("publishers", count)
        .put("readers", readers)
        .put("allStarted", allStarted())
        .put("seconds", seconds)
        .put("mapWritesOwnedHere", writesDelta)
        .put("snapshotReadsHere", reads)
        .put("cpuCores", cores)
        .put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
        .put("viewNodesMin", minNodes == Long.MAX_VALUE ? 0 : minNodes)
        .put("viewNodesMax", maxNodes)
        .put("viewsCorrect", correct)
        .put("stalenessMaxMs", maxAgeMs)
        .put("stalenessMaxIntervals", maxAgeMs / (double) interval.toMillis())
        .put("summarizer", summary != null && summary.isSummarizer());
  }

  /** Stops publishing and leaves the cluster. */
  void close() throws Exception {
    synchronized (timers) {
      timers.forEach(join.vertx()::cancelTimer);
    }
    join.vertx().close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Process main: {@code --cluster NAME --design D --first I --count K --members M --total N
   * --interval 1s --ttl 3 --samples S}. Waits for all M members, starts its K publishers, prints one
   * JSON sample per interval on stdout for S intervals, then leaves.
   */
  static void main(String[] args) throws Exception {
    Flags f = Flags.parse("cluster-view-member", args, Set.of());
    String cluster = f.string("cluster", "cluster-view-bench", "Hazelcast cluster name");
    String design = f.string("design", "all-read", "all-read or summary");
    int first = f.integer("first", 0, "index of this member's first publisher");
    int count = f.integer("count", 10, "publishers in this member");
    int members = f.integer("members", 2, "members to wait for before publishing");
    int total = f.integer("total", 10, "publishers in the whole cluster");
    Duration interval = f.duration("interval", "1s", "publish interval");
    int ttl = f.integer("ttl", 3, "time-to-live in intervals");
    int samples = f.integer("samples", 10, "intervals to sample before leaving");
    ViewMember m = join(cluster, design, first, count, interval, ttl);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (m.clusterSize() < members && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling Hazelcast's member list, bounded by the deadline
    }
    if (m.clusterSize() < members) {
      System.err.println("only " + m.clusterSize() + " of " + members + " members joined in 120 s");
      System.exit(1);
    }
    m.start();
    // sample from the start: a design that cannot even start its publishers still shows its CPU and heap
    int startBound = f.integer("start-intervals", 30, "intervals allowed for every publisher to start");
    int afterStart = 0;
    for (int s = 0; s < startBound + samples && afterStart < samples; s++) {
      Thread.sleep(interval.toMillis()); // the sampling period is the publish interval itself
      JsonObject sample = m.sample(total, expectedTotal(total));
      afterStart += sample.getBoolean("allStarted") ? 1 : 0;
      System.out.println(sample.encode());
      System.out.flush();
    }
    m.close();
    System.exit(0);
  }
}
