package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cluster view at up to 1,000 nodes, by simulation: for each design and each N, starts a few
 * real Hazelcast members as separate JVMs ({@link ViewMember}), each hosting N / members simulated
 * publishers, and records per interval the map writes and snapshot reads cluster-wide, CPU and heap
 * per member, and what the publishers' views say (all nodes seen, the right total, how stale).
 * Writes {@code cluster-view-<date>.{json,md}} and two SVG curves.
 */
final class ClusterViewBench {

  /** Intervals a member allows its publishers to start in before it samples anyway. */
  static final int START_INTERVALS = 30;

  private ClusterViewBench() {
  }

  /** One design at one N: the medians over the measured intervals, and the worst staleness. */
  record Point(String design, int publishers, int members, double writesPerInterval, double readsPerInterval,
      double cpuCoresPerMember, double heapMiBMax, double stalenessMaxIntervals, double viewsCorrectFraction,
      int intervalsMeasured, boolean allStarted) {

    JsonObject toJson() {
      return new JsonObject().put("design", design).put("publishers", publishers).put("members", members)
          .put("mapWritesPerInterval", writesPerInterval).put("snapshotReadsPerInterval", readsPerInterval)
          .put("cpuCoresPerMember", cpuCoresPerMember).put("heapUsedMiBMax", heapMiBMax)
          .put("stalenessMaxIntervals", stalenessMaxIntervals).put("viewsCorrectFraction", viewsCorrectFraction)
          .put("intervalsMeasured", intervalsMeasured)
          .put("allPublishersStarted", allStarted);
    }
  }

  static void main(String[] args) throws Exception {
    Flags f = Flags.parse("cluster-view", args, Set.of());
    String replot = f.string("replot", "", "a cluster-view JSON report to redraw the curves of, without a run");
    if (!replot.isEmpty()) {
      replot(Path.of(replot));
      return;
    }
    List<Integer> ns = Arrays.stream(f.string("n", "10,100,300,1000", "publisher counts").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    List<String> designs = List.of(f.string("designs", "all-read,summary", "designs to run").split(","));
    int members = f.integer("members", 3, "Hazelcast members (JVM processes)");
    Duration interval = f.duration("interval", "1s", "publish interval");
    int ttl = f.integer("ttl", 3, "snapshot time-to-live in intervals");
    int warmup = f.integer("warmup", 5, "intervals left out after every publisher started");
    int measure = f.integer("measure", 10, "intervals measured");
    String heap = f.string("heap", "384m", "-Xmx of each member");
    Path outDir = Path.of(f.string("out-dir", "bench/results", "where the report goes"));
    String command = System.getenv().getOrDefault("CLUSTER_VIEW_COMMAND", "bench/cluster-view.sh " + String.join(" ", args));

    List<Point> points = new ArrayList<>();
    for (String design : designs) {
      for (int n : ns) {
        Point p = run(design, n, members, interval, ttl, warmup, measure, heap);
        System.out.println(p.toJson().encode());
        points.add(p);
      }
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    Files.createDirectories(outDir);
    JsonObject report = new JsonObject()
        .put("benchmark", "cluster-view")
        .put("command", command)
        .put("machine", Machine.describe(List.of(javaBinary())))
        .put("membersPerRun", members)
        .put("publishIntervalMs", interval.toMillis())
        .put("ttlIntervals", ttl)
        .put("warmupIntervals", warmup)
        .put("memberHeap", heap)
        .put("points", new JsonArray(points.stream().map(Point::toJson).toList()));
    Path base = outDir.resolve("cluster-view-" + stamp);
    Files.writeString(Path.of(base + ".json"), report.encodePrettily());
    Files.writeString(Path.of(base + ".md"), markdown(report, points));
    plot(base, points, designs, ns, members, interval);
    System.out.println("wrote " + base + ".{json,md} and -exact.svg, -cpu.svg, -reads.svg");
  }

  /** The curves: share of views exact (what binds), CPU per member, reads cluster-wide. */
  static void plot(Path base, List<Point> points, List<String> designs, List<Integer> ns, int members, Duration interval)
      throws java.io.IOException {
    List<String> groups = ns.stream().map(n -> "N = " + n).toList();
    Files.writeString(Path.of(base + "-exact.svg"), BarChart.svg(
        "Cluster view: views exact (all nodes, the right total), worst interval", "% of views", groups, designs,
        matrix(points, designs, ns, p -> 100 * p.viewsCorrectFraction())));
    Files.writeString(Path.of(base + "-cpu.svg"), BarChart.svg(
        "Cluster view: CPU per Hazelcast member (" + members + " members, interval " + interval.toMillis() + " ms)",
        "cores", groups, designs, matrix(points, designs, ns, Point::cpuCoresPerMember)));
    Files.writeString(Path.of(base + "-reads.svg"), BarChart.svg(
        "Cluster view: snapshot reads per interval, cluster-wide", "reads", groups, designs,
        matrix(points, designs, ns, Point::readsPerInterval)));
  }

  /** {@code cluster-view --replot FILE.json}: redraws a report's curves from its JSON, without a run. */
  static void replot(Path json) throws java.io.IOException {
    JsonObject r = new JsonObject(Files.readString(json));
    List<Point> points = r.getJsonArray("points").stream().map(JsonObject.class::cast).map(p -> new Point(
        p.getString("design"), p.getInteger("publishers"), p.getInteger("members"), p.getDouble("mapWritesPerInterval"),
        p.getDouble("snapshotReadsPerInterval"), p.getDouble("cpuCoresPerMember"), p.getDouble("heapUsedMiBMax"),
        p.getDouble("stalenessMaxIntervals"), p.getDouble("viewsCorrectFraction"), p.getInteger("intervalsMeasured"),
        p.getBoolean("allPublishersStarted"))).toList();
    List<String> designs = points.stream().map(Point::design).distinct().toList();
    List<Integer> ns = points.stream().map(Point::publishers).distinct().sorted().toList();
    String name = json.toString().replaceAll("\\.json$", "");
    plot(Path.of(name), points, designs, ns, r.getInteger("membersPerRun"), Duration.ofMillis(r.getLong("publishIntervalMs")));
    System.out.println("wrote " + name + "-exact.svg, -cpu.svg, -reads.svg");
  }

  private static double[][] matrix(List<Point> points, List<String> designs, List<Integer> ns,
      java.util.function.ToDoubleFunction<Point> value) {
    double[][] m = new double[designs.size()][ns.size()];
    for (int d = 0; d < designs.size(); d++) {
      for (int i = 0; i < ns.size(); i++) {
        int di = d;
        int ii = i;
        m[d][i] = points.stream().filter(p -> p.design().equals(designs.get(di)) && p.publishers() == ns.get(ii))
            .mapToDouble(value).findFirst().orElse(Double.NaN);
      }
    }
    return m;
  }

  private static Path javaBinary() {
    return Path.of(ProcessHandle.current().info().command().orElse("java"));
  }

  /** Runs one design at one N across {@code members} JVMs and reduces their samples. */
  static Point run(String design, int n, int members, Duration interval, int ttl, int warmup, int measure, String heap)
      throws Exception {
    String cluster = "cluster-view-" + design + "-" + n + "-" + ProcessHandle.current().pid();
    String classpath = System.getProperty("java.class.path");
    List<Process> procs = new ArrayList<>();
    List<List<JsonObject>> samples = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    int samplesEach = warmup + measure;
    try {
      for (int m = 0; m < members; m++) {
        int first = n * m / members;
        int count = n * (m + 1) / members - first;
        ProcessBuilder pb = new ProcessBuilder(javaBinary().toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
            "-cp", classpath, Bench.class.getName(), "cluster-view-member",
            "--cluster", cluster, "--design", design, "--first", Integer.toString(first), "--count", Integer.toString(count),
            "--members", Integer.toString(members), "--total", Integer.toString(n),
            "--interval", interval.toMillis() + "ms", "--ttl", Integer.toString(ttl), "--samples", Integer.toString(samplesEach),
            "--start-intervals", Integer.toString(START_INTERVALS))
            .redirectError(Path.of(System.getProperty("java.io.tmpdir"), cluster + "-" + m + ".log").toFile());
        Process p = pb.start();
        procs.add(p);
        List<JsonObject> mine = new ArrayList<>();
        samples.add(mine);
        Thread t = new Thread(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              if (line.startsWith("{")) {
                synchronized (mine) {
                  mine.add(new JsonObject(line));
                }
              }
            }
          } catch (Exception e) {
            // the process ended; its samples so far are kept
          }
        }, "cluster-view-reader-" + m);
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      // joining, the start bound and the samples, each interval possibly late under load
      long boundMs = 120_000 + (long) (START_INTERVALS + samplesEach) * interval.toMillis() * 3;
      long deadline = System.currentTimeMillis() + boundMs;
      for (Process p : procs) {
        if (!p.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
          System.err.println("a member of " + cluster + " did not finish within " + boundMs + " ms: its samples so far are kept");
        }
      }
      for (Thread t : readers) {
        t.join(10_000);
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    return reduce(design, n, members, samples, warmup);
  }

  /** Sums the members' samples interval by interval, then takes medians over the measured intervals. */
  static Point reduce(String design, int n, int members, List<List<JsonObject>> raw, int warmup) {
    // each member's samples from its own start on; a member that never started all its publishers
    // keeps its last samples, so the point still shows what it cost (with views that are not correct)
    boolean started = true;
    List<List<JsonObject>> samples = new ArrayList<>();
    for (List<JsonObject> member : raw) {
      int first = 0;
      while (first < member.size() && !member.get(first).getBoolean("allStarted")) {
        first++;
      }
      if (first == member.size()) {
        started = false;
        first = Math.max(0, member.size() - warmup - 10);
      }
      samples.add(member.subList(first, member.size()));
    }
    int intervals = samples.stream().mapToInt(List::size).min().orElse(0);
    List<Double> writes = new ArrayList<>();
    List<Double> reads = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    double heapMax = 0;
    double staleMax = 0;
    double correctMin = intervals > warmup ? 1 : 0;
    for (int s = warmup; s < intervals; s++) {
      double w = 0;
      double r = 0;
      double c = 0;
      long correct = 0;
      long views = 0;
      for (List<JsonObject> member : samples) {
        JsonObject j = member.get(s);
        w += j.getDouble("mapWritesOwnedHere") / j.getDouble("seconds");
        r += j.getDouble("snapshotReadsHere") / j.getDouble("seconds");
        c += j.getDouble("cpuCores");
        heapMax = Math.max(heapMax, j.getLong("heapUsedBytes") / 1048576.0);
        staleMax = Math.max(staleMax, j.getDouble("stalenessMaxIntervals"));
        correct += j.getLong("viewsCorrect");
        views += j.getLong("readers");
      }
      writes.add(w);
      reads.add(r);
      cpu.add(c / samples.size());
      correctMin = Math.min(correctMin, views == 0 ? 0 : correct / (double) views);
    }
    return new Point(design, n, members, median(writes), median(reads), median(cpu), heapMax, staleMax, correctMin,
        Math.max(0, intervals - warmup), started);
  }

  private static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String markdown(JsonObject report, List<Point> points) {
    StringBuilder b = new StringBuilder("# Cluster view at N simulated nodes\n\n");
    b.append("Command: `").append(report.getString("command")).append("`  \n");
    JsonObject m = report.getJsonObject("machine");
    b.append("Machine: ").append(m.getString("cpu")).append(", ").append(m.getInteger("cores")).append(" cores, ")
        .append(m.getString("memory")).append(", kernel ").append(m.getString("kernel")).append(" (shared with other work)  \n");
    b.append(String.format(Locale.ROOT, "%d Hazelcast members (one JVM each, -Xmx%s), publish interval %d ms, "
            + "time-to-live %d intervals, %d warm-up intervals left out; rates are per second (= per interval at 1 s).%n%n",
        report.getInteger("membersPerRun"), report.getString("memberHeap"), report.getLong("publishIntervalMs"),
        report.getInteger("ttlIntervals"), report.getInteger("warmupIntervals")));
    b.append("| design | N | map writes/s | snapshot reads/s | CPU cores per member | heap MiB max | staleness max (intervals) | views correct (min) | intervals | all started |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Point p : points) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.2f | %.0f | %.2f | %.3f | %d | %s |%n", p.design(),
          p.publishers(), p.writesPerInterval(), p.readsPerInterval(), p.cpuCoresPerMember(), p.heapMiBMax(),
          p.stalenessMaxIntervals(), p.viewsCorrectFraction(), p.intervalsMeasured(),
          p.allStarted() ? "yes" : "no, within " + START_INTERVALS + " intervals"));
    }
    b.append("\nReads: `all-read` counts each view's ticks times the live snapshots it reads (entries() of the whole map); "
        + "`summary` counts the snapshots the summarizer read plus the summary entries the publishers read. Writes: "
        + "Hazelcast's put count on the partition owners of `holdfast.snapshots`, summed over members.\n");
    return b.toString();
  }
}
