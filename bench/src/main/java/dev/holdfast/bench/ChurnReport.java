package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Writes a churn run as {@code churn-STAMP.md} (per-server medians with ratios to the same run's
 * plain Netty, issue 14's targets met or not with the measured numbers, every step of every round),
 * {@code .json} (every reading), {@code -p99.svg} (echo p99 against reconnect rate, one line per
 * server and round) and {@code -cpu.svg} (CPU per cold handshake, per warm reconnect, per echo).
 */
final class ChurnReport {

  static final Map<String, String> NAMES = Map.of(
      "netty", "plain Netty 4.2", "vertx", "stock Vert.x 5", "holdfast", "holdfast node",
      "holdfast-clustered", "holdfast node, clustered", "holdfast-os1h", "holdfast node, OS count hourly");

  /** Issue 14's targets against plain Netty: at most these ratios (the reconnect rate: at least). */
  static final double WARM_HANDSHAKE = 0.8;
  static final double COLD_HANDSHAKE = 1.0;
  static final double ECHO = 1.0;
  static final double SUSTAINED = 1.25;
  static final int THREADS = 40;

  private final String stamp;
  private final JsonObject machine;
  private final JsonObject settings;
  private final List<List<ChurnRun>> byRound;
  /** The cold-while-busy rows of each round; empty lists without {@code --cold-busy}. */
  private final List<List<ColdRun>> busyByRound;
  private final List<String> servers;

  ChurnReport(String stamp, JsonObject machine, JsonObject settings, List<List<ChurnRun>> byRound,
      List<List<ColdRun>> busyByRound) {
    this.stamp = stamp;
    this.machine = machine;
    this.settings = settings;
    this.byRound = byRound;
    this.busyByRound = busyByRound;
    this.servers = byRound.get(0).stream().map(ChurnRun::server).toList();
  }

  Path write(Path dir, boolean quick) throws IOException {
    Files.createDirectories(dir);
    String base = "churn-" + (quick ? "quick-" : "") + stamp;
    Files.writeString(dir.resolve(base + "-p99.svg"), p99Chart());
    Files.writeString(dir.resolve(base + "-cpu.svg"), BarChart.svg("Server CPU per cold handshake, warm reconnect and echo",
        "µs of server CPU", servers.stream().map(NAMES::get).toList(),
        List.of("cold handshake (first connections)", "warm reconnect (close + handshake)", "echo"),
        new double[][] {medians(ChurnRun::coldCpuMicrosPerHandshake), medians(this::warm),
            medians(ChurnRun::cpuMicrosPerEcho)}));
    Files.writeString(dir.resolve(base + ".json"), json().encodePrettily());
    Path md = dir.resolve(base + ".md");
    Files.writeString(md, markdown(base));
    return md;
  }

  /**
   * The target rates every server of round {@code r} (0-based) reached: the steps whose CPU per
   * reconnect the servers are compared on.
   */
  Set<Double> commonRates(int r) {
    Set<Double> common = null;
    for (ChurnRun run : byRound.get(r)) {
      if (common == null) {
        common = new TreeSet<>(run.reachedRates());
      } else {
        common.retainAll(run.reachedRates());
      }
    }
    return common == null ? Set.of() : common;
  }

  /** The warm CPU per reconnect of a run, over the rates every server of its round reached. */
  double warm(ChurnRun r) {
    return r.warmCpuMicrosPerReconnect(commonRates(r.round() - 1));
  }

  /** The run of {@code server} in round {@code r} (0-based). */
  ChurnRun run(int r, String server) {
    return byRound.get(r).stream().filter(x -> x.server().equals(server)).findFirst().orElseThrow();
  }

  /** The median over rounds of one server's figure. */
  double median(String server, ToDoubleFunction<ChurnRun> f) {
    return median(IntStream.range(0, byRound.size()).mapToDouble(r -> f.applyAsDouble(run(r, server))).toArray());
  }

  /** Each round's ratio of {@code server}'s figure to {@code ref}'s, neighbours in time. */
  double[] ratios(String server, String ref, ToDoubleFunction<ChurnRun> f) {
    double[] out = new double[byRound.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = f.applyAsDouble(run(r, server)) / f.applyAsDouble(run(r, ref));
    }
    return out;
  }

  /** The median, NaN for none; the mean of the middle two for an even count. NaN values sort last and count. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private double[] medians(ToDoubleFunction<ChurnRun> f) {
    return servers.stream().mapToDouble(s -> median(s, f)).toArray();
  }

  /** What the rest of the machine used during a run's steps, in % of one core: the noise under its CPU and latency. */
  static double othersPercent(ChurnRun r) {
    double cpu = r.rest().othersCpuSeconds();
    double secs = r.rest().steadySeconds();
    for (ChurnStep s : r.steps()) {
      cpu += s.othersCpuSeconds();
      secs += s.steadySeconds();
    }
    return secs == 0 ? Double.NaN : cpu / secs * 100;
  }

  /** The most other processes used in any measured window of the run, as a percentage of one core. */
  private String mostOthersPercent() {
    double most = 0;
    for (List<ChurnRun> runs : byRound) {
      for (ChurnRun r : runs) {
        for (ChurnStep st : r.steps()) {
          if (st.steadySeconds() > 0) {
            most = Math.max(most, st.othersCpuSeconds() / st.steadySeconds() * 100);
          }
        }
      }
    }
    return String.format(Locale.ROOT, "%.0f%%", most);
  }

  String markdown(String base) {
    StringBuilder b = new StringBuilder();
    int rounds = byRound.size();
    long bound = settings.getLong("boundMicros");
    b.append("# Churn cost: sustained reconnects, CPU per handshake and per echo (").append(stamp).append(")\n\n");
    b.append(String.format(Locale.ROOT, "Measured %s–%s (machine clock) on %s, %d cores, %s, Linux %s, open-file limit "
            + "%d per process. Other processes on the machine used %s of a core at the most in a measured window (the "
            + "\"other processes\" columns: what they used while a server was measured).%n%n", settings.getString("started"),
        settings.getString("finished"), machine.getString("cpu"), machine.getInteger("cores"), machine.getString("memory"),
        machine.getString("kernel"), machine.getLong("openFileLimit"), mostOthersPercent()));
    b.append(String.format(Locale.ROOT, "Load: each server holds %,d connections from a separate driver process (plain "
            + "Netty client, %d source addresses, at most %d handshakes in flight); each connection sends a %d-byte text "
            + "message every %d s (phases spread) throughout. The first %,d connections after the server's start are its "
            + "cold row: no warm-up before them. Then churn steps: the driver closes random open "
            + "connections at a steady rate (1000, close handshake) and reopens each once closed; the first step is "
            + "%.0f%% per %d s (%,.0f reconnects/s), each next one %sx while steps hold the bound (echo p99 ≤ %d ms, "
            + "90%% of the rate reached, no errors), then %d step(s) between the best held and the first failed rate, "
            + "%d steps at most; then an echo-only step. Before the first step, %.0f s of churn at the first rate, not "
            + "counted (the close and echo paths compile, the collector works through the cold connect's garbage). "
            + "Each step: %.0f s settle (not counted; 2 s for the echo-only step, so the reopens under way finish), "
            + "%.0f s measured. Server event loops: %d; the "
            + "server could run on %d core(s)%s. %s%n%n",
        settings.getInteger("connections"), settings.getInteger("sources"), settings.getInteger("inFlight"),
        settings.getInteger("messageBytes"), settings.getLong("intervalSeconds"), settings.getInteger("connections"),
        settings.getDouble("firstFraction") * 100, settings.getLong("periodSeconds"), settings.getDouble("firstPerSecond"),
        trim(settings.getDouble("factor")), bound / 1000, settings.getInteger("refinements"),
        settings.getInteger("maxSteps"), settings.getDouble("warmupChurnSeconds", 0.0), settings.getDouble("settleSeconds"), settings.getDouble("steadySeconds"),
        settings.getInteger("serverThreads"), settings.getInteger("serverCores"),
        settings.getString("pin", "").isEmpty() ? " (not pinned: server and driver share them)"
            : " (pinned: servers on CPU " + settings.getString("pin").split(":")[0] + ", driver on "
                + settings.getString("pin").split(":")[1] + ")",
        rounds > 1 ? rounds + " rounds, each running every server in turn; tables show medians." : "One round."));
    b.append("Every server ran as `java ").append(settings.getString("jvmFlags")).append(" -jar ...`.  \n");
    b.append("Command: `").append(settings.getString("command")).append("`  \n");
    b.append("holdfast node: ").append(settings.getString("holdfastJar")).append("  \n");
    b.append("baselines and driver: ").append(settings.getString("benchJar")).append("\n\n");

    boolean hasNetty = servers.contains("netty");
    b.append("## Results").append(hasNetty ? " (ratios to plain Netty in the same run)" : "").append("\n\n");
    b.append("| server | sustained reconnects / s at the bound | per core | ladder stopped | warm CPU / reconnect "
        + "| cold CPU / handshake | cold handshakes / s | CPU / echo | threads idle / holding | live heap / held conn "
        + "| RSS growth / held conn | held: client / server / OS | other processes' CPU | errors |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String s : servers) {
      boolean ref = !hasNetty || s.equals("netty");
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %,.0f | %s | %.0f / %.0f | %s | %s | %s | %.0f%% "
              + "| %d |%n", NAMES.get(s),
          cell(s, ref, ChurnRun::sustainedPerSecond, v -> String.format(Locale.ROOT, "%,.0f", v)),
          cell(s, ref, ChurnRun::sustainedPerSecondPerCore, v -> String.format(Locale.ROOT, "%,.0f", v)),
          stopReasons(s),
          cell(s, ref, this::warm, ChurnReport::micros),
          cell(s, ref, ChurnRun::coldCpuMicrosPerHandshake, ChurnReport::micros),
          median(s, ChurnRun::coldHandshakesPerSecond),
          cell(s, ref, ChurnRun::cpuMicrosPerEcho, v -> String.format(Locale.ROOT, "%.1f µs", v)),
          median(s, r -> r.threadsIdle()), median(s, r -> r.threadsHolding()),
          cell(s, ref, ChurnRun::heapPerHeldConnection, ChurnReport::kib),
          cell(s, ref, ChurnRun::rssPerHeldConnection, ChurnReport::kib),
          counts(s), median(s, ChurnReport::othersPercent),
          IntStream.range(0, byRound.size()).mapToLong(r -> run(r, s).errors()).sum()));
    }
    b.append("\nCPU is the server process's user + system time (`/proc/PID/stat`, all threads). **Warm CPU / reconnect**: "
        + "over the steps at the rates every server of the round reached (whatever their latency), the server's CPU "
        + "less what the echo-only step used in as long a window (the echoes and the server's background work go on "
        + "during churn), divided by the reconnects; a reconnect is a close handshake and a new WebSocket handshake. "
        + "Compared at the same rates because the cost per reconnect falls as the rate rises. **Cold CPU / handshake**: "
        + "across the server's first connections after start, nothing before them. **CPU / echo**: the echo-only "
        + "step (after the churn steps, so JIT and pools are warm) over its echoes, background work (cluster, counts, "
        + "metrics) included. **Per core**: the sustained rate over the cores the server could run on. **Live heap / "
        + "held conn**: class-histogram total holding the connections right after the cold connect minus the same once "
        + "all have closed at the end (both after a forced full GC), per connection, so what the first connections "
        + "filled for good (pools, caches) is not counted. **RSS growth / held conn**: `VmRSS` right after the cold "
        + "connect minus before the first connection, per connection, as in the lean-node benchmark (before the "
        + "churn: its garbage makes the collector touch heap pages that stay resident). Counts are read after the "
        + "churn steps; baselines keep no count of their own (marked *).\n\n");
    b.append("![echo p99 against reconnect rate](").append(base).append("-p99.svg)\n\n");
    b.append("![server CPU per handshake, reconnect and echo](").append(base).append("-cpu.svg)\n\n");

    if (hasNetty) {
      targets(b);
    }
    if (!busyByRound.isEmpty()) {
      coldBusy(b);
    }
    b.append("## Every step\n\n");
    b.append("Net CPU / reconnect is the step's server CPU less the echo-only step's in as long a window, per reconnect; "
        + "server cores is its CPU over the window; latencies are the driver's HdrHistograms over the measured part "
        + "(echo from the message's intended send time; handshake from when the reopen was wanted, so a wait for an "
        + "in-flight slot counts).\n\n");
    for (int r = 0; r < rounds; r++) {
      for (String s : servers) {
        ChurnRun run = run(r, s);
        b.append(String.format("**%s%s** (cold: %,d handshakes in %.1f s, %s each, handshake p99 %s):%n%n", NAMES.get(s),
            rounds > 1 ? ", round " + (r + 1) : "", run.cold().handshakes(), run.cold().seconds(),
            micros(run.coldCpuMicrosPerHandshake()), ms(run.cold().handshakeP99Micros())));
        b.append("| step | target / s | reached / s | net CPU / reconnect | server cores | echo p50 | echo p99 "
            + "| handshake p99 | open at end | other processes | held the bound |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < run.steps().size(); i++) {
          stepRow(b, Integer.toString(i + 1), run.steps().get(i), run, bound);
        }
        stepRow(b, "echo only", run.rest(), run, bound);
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static void stepRow(StringBuilder b, String name, ChurnStep s, ChurnRun run, long bound) {
    String failure = s.failure(bound);
    b.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %s | %.2f | %s | %s | %s | %,d | %.0f%% | %s |%n", name,
        s.targetPerSecond(), s.achievedPerSecond(),
        s.targetPerSecond() == 0 ? "·" : micros(run.netCpuMicrosPerReconnect(s)), s.serverCores(), ms(s.echoP50Micros()),
        ms(s.echoP99Micros()), s.targetPerSecond() == 0 ? "·" : ms(s.handshakeP99Micros()), s.open(),
        s.steadySeconds() == 0 ? Double.NaN : s.othersCpuSeconds() / s.steadySeconds() * 100,
        failure == null ? "yes" : "no: " + failure));
  }

  /** The targets for each holdfast row, as medians of each round's own ratio to plain Netty. */
  private void targets(StringBuilder b) {
    List<String> nodes = servers.stream().filter(s -> s.startsWith("holdfast")).toList();
    if (nodes.isEmpty()) {
      return;
    }
    JsonObject lean = settings.getJsonObject("leanNode", new JsonObject());
    b.append("## Targets of issue 14 (against plain Netty, same run)\n\n");
    if (byRound.size() > 1) {
      b.append("Each ratio is the median of the rounds' own ratios (per round in brackets; \"noisy\" when they "
          + "disagree by more than half).\n\n");
    }
    b.append("| target | limit |");
    nodes.forEach(n -> b.append(' ').append(NAMES.get(n)).append(" |"));
    b.append("\n|---|---|");
    nodes.forEach(n -> b.append("---|"));
    b.append('\n');
    for (Target t : targets(lean)) {
      b.append("| ").append(t.what()).append(" | ").append(t.limitText()).append(" |");
      for (String n : nodes) {
        b.append(' ').append(t.cell(this, n)).append(" |");
      }
      b.append('\n');
    }
    b.append(String.format(Locale.ROOT, "%nThe cold target compares each server's first %,d handshakes after its start "
            + "(so Netty's are cold too); against plain Netty's warm reconnect the node's cold handshake is: %s.",
        settings.getInteger("connections"), String.join("; ", nodes.stream()
            .map(n -> NAMES.get(n) + " " + ratioText(median(coldAgainstNettyWarm(n)))).toList())));
    b.append(" The memory targets compare with the lean-node report's holdfast row")
        .append(lean.getString("report") == null ? " (none found)" : " (`" + Path.of(lean.getString("report"))
            .getFileName() + "`)")
        .append("; its RSS figure was read after a hold without churn, so churn's touched heap pages make this run's "
            + "larger by method.\n\n");
  }

  /** The cold-while-busy rows: each server's first connections with a CPU burner beside it, against its quiet cold row. */
  private void coldBusy(StringBuilder b) {
    b.append(String.format(Locale.ROOT, "## Cold while busy%n%nEach server started once more per round while a CPU "
        + "burner (its own process, %d spinning thread(s)) ran beside it; its first %,d connections, then closed and "
        + "stopped. Medians over rounds; \"quiet\" is the same server's cold row above.%n%n",
        settings.getInteger("burnThreads", 1), settings.getInteger("connections")));
    b.append("| server | cold CPU / handshake, busy | quiet | busy / quiet | against Netty busy | handshakes / s "
        + "| handshake p99 | burner CPU | failed |\n|---|---|---|---|---|---|---|---|---|\n");
    for (ColdRun first : busyByRound.get(0)) {
      String s = first.server();
      double busy = busyMedian(s, ColdRun::cpuMicrosPerHandshake);
      double quiet = servers.contains(s) ? median(s, ChurnRun::coldCpuMicrosPerHandshake) : Double.NaN;
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %,.0f | %s | %.0f%% of a core | %d |%n",
          NAMES.get(s), micros(busy), micros(quiet), ratioText(busy / quiet),
          s.equals("netty") ? "·" : ratioText(median(busyRatios(s))), busyMedian(s, ColdRun::handshakesPerSecond),
          ms(busyMedian(s, r -> r.handshakeP99Micros())), busyMedian(s, ColdRun::burnerPercent),
          busyByRound.stream().flatMap(List::stream).filter(r -> r.server().equals(s)).mapToLong(ColdRun::failed).sum()));
    }
    b.append('\n');
  }

  private double busyMedian(String server, ToDoubleFunction<ColdRun> f) {
    return median(busyByRound.stream().flatMap(List::stream).filter(r -> r.server().equals(server)).mapToDouble(f)
        .toArray());
  }

  /** Each round's busy cold CPU per handshake of {@code server} over plain Netty's busy one; NaN without Netty. */
  double[] busyRatios(String server) {
    double[] out = new double[busyByRound.size()];
    for (int r = 0; r < out.length; r++) {
      ColdRun mine = busyByRound.get(r).stream().filter(x -> x.server().equals(server)).findFirst().orElse(null);
      ColdRun netty = busyByRound.get(r).stream().filter(x -> x.server().equals("netty")).findFirst().orElse(null);
      out[r] = mine == null || netty == null ? Double.NaN
          : mine.cpuMicrosPerHandshake() / netty.cpuMicrosPerHandshake();
    }
    return out;
  }

  /** Each round's node cold CPU per handshake over plain Netty's warm CPU per reconnect. */
  private double[] coldAgainstNettyWarm(String node) {
    double[] out = new double[byRound.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = run(r, node).coldCpuMicrosPerHandshake() / warm(run(r, "netty"));
    }
    return out;
  }

  /** One of the targets: how a holdfast row's cell is computed and judged. */
  record Target(String what, String limitText, CellMaker maker) {
    String cell(ChurnReport report, String node) {
      return maker.cell(report, node);
    }
  }

  /** Makes one target's cell for one holdfast row. */
  interface CellMaker {
    String cell(ChurnReport report, String node);
  }

  List<Target> targets(JsonObject lean) {
    List<Target> t = new ArrayList<>();
    t.add(new Target("CPU per handshake, warm (per reconnect)", "≤ " + trim(WARM_HANDSHAKE) + "×",
        (rep, n) -> rep.ratioCell(n, rep::warm, WARM_HANDSHAKE, false, ChurnReport::micros)));
    t.add(new Target("CPU per handshake, cold (first " + String.format("%,d", settings.getInteger("connections"))
        + " after start)", "≤ " + trim(COLD_HANDSHAKE) + "×",
        (rep, n) -> rep.ratioCell(n, ChurnRun::coldCpuMicrosPerHandshake, COLD_HANDSHAKE, false, ChurnReport::micros)));
    if (!busyByRound.isEmpty()) {
      t.add(new Target("CPU per handshake, cold while busy (CPU burner beside it)", "≤ " + trim(COLD_HANDSHAKE) + "×",
          (rep, n) -> {
            double ratio = median(rep.busyRatios(n));
            return Double.isNaN(ratio) ? "not measured (needs " + n + " and netty in --busy-servers)"
                : String.format(Locale.ROOT, "**%.2f×** (%s vs %s): %s", ratio,
                    micros(rep.busyMedian(n, ColdRun::cpuMicrosPerHandshake)),
                    micros(rep.busyMedian("netty", ColdRun::cpuMicrosPerHandshake)), verdict(ratio <= COLD_HANDSHAKE));
          }));
    }
    t.add(new Target("CPU per echo (background included)", "≤ " + trim(ECHO) + "×",
        (rep, n) -> rep.ratioCell(n, ChurnRun::cpuMicrosPerEcho, ECHO, false,
            v -> String.format(Locale.ROOT, "%.1f µs", v))));
    t.add(new Target("sustained reconnects / s / core at the bound", "≥ " + trim(SUSTAINED) + "×",
        (rep, n) -> rep.ratioCell(n, ChurnRun::sustainedPerSecondPerCore, SUSTAINED, true,
            v -> String.format(Locale.ROOT, "%,.0f", v))));
    t.add(new Target("threads at rest (the more of idle and holding)", "≤ " + THREADS, (rep, n) -> {
      double worst = IntStream.range(0, rep.byRound.size()).mapToDouble(r -> rep.run(r, n).threadsAtRest()).max()
          .orElse(Double.NaN);
      return String.format(Locale.ROOT, "%.0f (Netty %.0f): %s", worst, rep.median("netty", ChurnRun::threadsAtRest),
          verdict(worst <= THREADS));
    }));
    t.add(new Target("live heap / held connection", lean.containsKey("liveHeapBytesPerConnection")
        ? "≤ " + kib(lean.getDouble("liveHeapBytesPerConnection")) + " (lean node)" : "lean-node figure",
        (rep, n) -> rep.leanCell(n, ChurnRun::heapPerHeldConnection, lean.getDouble("liveHeapBytesPerConnection"))));
    t.add(new Target("RSS growth / held connection", lean.containsKey("rssGrowthBytesPerConnection")
        ? "≤ " + kib(lean.getDouble("rssGrowthBytesPerConnection")) + " (lean node)" : "lean-node figure",
        (rep, n) -> rep.leanCell(n, ChurnRun::rssPerHeldConnection, lean.getDouble("rssGrowthBytesPerConnection"))));
    return t;
  }

  /** "0.85× (312 µs vs 367 µs): met [0.80×, 0.85×, 0.90×]" for a ratio target. */
  String ratioCell(String node, ToDoubleFunction<ChurnRun> f, double limit, boolean atLeast, DoubleFunction<String> fmt) {
    double[] per = ratios(node, "netty", f);
    double ratio = median(per);
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      return "not measured (" + fmt.apply(median(node, f)) + " vs " + fmt.apply(median("netty", f)) + ")";
    }
    boolean met = atLeast ? ratio >= limit : ratio <= limit;
    StringBuilder c = new StringBuilder(String.format(Locale.ROOT, "**%.2f×** (%s vs %s): %s", ratio,
        fmt.apply(median(node, f)), fmt.apply(median("netty", f)), verdict(met)));
    if (per.length > 1) {
      c.append(" [");
      for (int i = 0; i < per.length; i++) {
        c.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f×", per[i]));
      }
      c.append(']');
      double[] sorted = per.clone();
      Arrays.sort(sorted);
      if (sorted[sorted.length - 1] > 1.5 * sorted[0]) {
        c.append(" noisy");
      }
    }
    return c.toString();
  }

  private String leanCell(String node, ToDoubleFunction<ChurnRun> f, Double leanFigure) {
    double v = median(node, f);
    if (leanFigure == null) {
      return kib(v) + ": no lean-node figure to compare";
    }
    return String.format(Locale.ROOT, "%s (%.2f× the lean node; Netty here %s): %s", kib(v), v / leanFigure,
        kib(median("netty", f)), verdict(v <= leanFigure));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "**not met**";
  }

  private String cell(String server, boolean isRef, ToDoubleFunction<ChurnRun> f, DoubleFunction<String> fmt) {
    String v = fmt.apply(median(server, f));
    return isRef ? v : String.format(Locale.ROOT, "%s (%s)", v, ratioText(median(ratios(server, "netty", f))));
  }

  private static String ratioText(double r) {
    return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
  }

  private String stopReasons(String server) {
    List<String> reasons = new ArrayList<>();
    for (int r = 0; r < byRound.size(); r++) {
      reasons.add(run(r, server).stopReason());
    }
    return String.join("; ", reasons.stream().distinct().toList());
  }

  private String counts(String server) {
    // the worst round's counts, so a disagreement shows
    ChurnRun shown = run(0, server);
    for (int r = 0; r < byRound.size(); r++) {
      if (!run(r, server).countsAgree()) {
        shown = run(r, server);
      }
    }
    return String.format("%,d / %s / %,d%s", shown.afterChurn().connections(),
        shown.serverHeld() < 0 ? String.format("%,d*", shown.afterChurn().connections()) : String.format("%,d", shown.serverHeld()),
        shown.osHeld(), shown.countsAgree() ? "" : " (differ)");
  }

  private String p99Chart() {
    List<LineChart.Series> lines = new ArrayList<>();
    for (int r = 0; r < byRound.size(); r++) {
      for (int i = 0; i < servers.size(); i++) {
        ChurnRun run = run(r, servers.get(i));
        List<double[]> pts = run.steps().stream()
            .map(s -> new double[] {s.achievedPerSecond(), s.echoP99Micros() / 1000.0}).toList();
        lines.add(new LineChart.Series(NAMES.get(servers.get(i)), i, r == 0, pts));
      }
    }
    return LineChart.svg(String.format("Echo p99 against reconnect rate, %,d held%s", settings.getInteger("connections"),
            byRound.size() > 1 ? " (round 1 solid, later rounds dashed)" : ""),
        "reconnects per second reached", "echo p99, ms", lines, settings.getLong("boundMicros") / 1000.0,
        "bound " + settings.getLong("boundMicros") / 1000 + " ms");
  }

  private JsonObject json() {
    JsonArray rows = new JsonArray();
    for (String s : servers) {
      rows.add(new JsonObject().put("server", s)
          .put("sustainedPerSecond", median(s, ChurnRun::sustainedPerSecond))
          .put("sustainedPerSecondPerCore", median(s, ChurnRun::sustainedPerSecondPerCore))
          .put("warmCpuMicrosPerReconnect", median(s, this::warm))
          .put("coldCpuMicrosPerHandshake", median(s, ChurnRun::coldCpuMicrosPerHandshake))
          .put("cpuMicrosPerEcho", median(s, ChurnRun::cpuMicrosPerEcho))
          .put("threadsIdle", median(s, r -> r.threadsIdle())).put("threadsHolding", median(s, r -> r.threadsHolding()))
          .put("liveHeapBytesPerHeldConnection", median(s, ChurnRun::heapPerHeldConnection))
          .put("rssGrowthBytesPerHeldConnection", median(s, ChurnRun::rssPerHeldConnection))
          .put("otherProcessesCpuPercent", median(s, ChurnReport::othersPercent)));
    }
    return new JsonObject().put("benchmark", "churn").put("stamp", stamp).put("machine", machine)
        .put("settings", settings).put("servers", rows)
        .put("rounds", new JsonArray(byRound.stream()
            .map(r -> new JsonArray(r.stream().map(ChurnRun::toJson).toList())).toList()))
        .put("coldWhileBusy", new JsonArray(busyByRound.stream()
            .map(r -> new JsonArray(r.stream().map(ColdRun::toJson).toList())).toList()));
  }

  static String micros(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f µs", v);
  }

  private static String ms(double micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  private static String kib(double bytes) {
    return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.2f KiB", bytes / 1024);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
