package dev.holdfast.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a lean-node run as {@code lean-node-STAMP.md} (tables with ratios against the same run's
 * plain-Netty baseline, the targets, where the memory goes, the tuning pass), {@code .json} (every
 * reading of every round) and {@code .svg} bar charts next to them.
 */
final class LeanNodeReport {

  private static final Pattern VERSION = Pattern.compile("version \"([^\"]+)\"");
  private static final Map<String, String> NAMES = Map.of(
      "netty", "plain Netty 4.2 echo", "vertx", "stock Vert.x 5 echo", "holdfast", "holdfast node",
      "holdfast-os1h", "holdfast node, OS count hourly †", "holdfast-clustered", "holdfast node, clustered §");

  private final String stamp;
  private final JsonObject machine;
  private final JsonObject settings;
  private final List<List<Measurement>> byRound;
  private final List<List<Measurement>> tunedRuns;
  /** One row per server: the medians over rounds. */
  private final List<Row> main = new ArrayList<>();
  /** One row per JVM variant, the first being the main run's holdfast row. */
  private final List<Row> tuned = new ArrayList<>();

  LeanNodeReport(String stamp, JsonObject machine, JsonObject settings, List<List<Measurement>> byRound,
      List<List<Measurement>> tunedRuns) {
    this.stamp = stamp;
    this.machine = machine;
    this.settings = settings;
    this.byRound = byRound;
    this.tunedRuns = tunedRuns;
    for (int i = 0; i < byRound.get(0).size(); i++) {
      int server = i;
      main.add(Row.median(byRound.stream().map(r -> Row.of(r.get(server))).toList()));
    }
    if (!tunedRuns.isEmpty()) {
      main.stream().filter(r -> r.server().equals("holdfast")).findFirst()
          .ifPresent(r -> tuned.add(r.withLabel("g1 (main run)")));
      for (List<Measurement> runs : tunedRuns) {
        tuned.add(Row.median(runs.stream().map(Row::of).toList()));
      }
    }
  }

  Path write(Path dir, boolean quick) throws IOException {
    Files.createDirectories(dir);
    String base = "lean-node-" + (quick ? "quick-" : "") + stamp;
    Files.writeString(dir.resolve(base + ".svg"), BarChart.svg(
        "Memory per held WebSocket, " + String.format("%,d", settings.getInteger("connections")) + " connections",
        "KiB per connection", main.stream().map(r -> NAMES.get(r.server())).toList(),
        List.of("live heap after full GC", "RSS growth"),
        new double[][] {values(main, r -> r.heapPerConnection() / 1024), values(main, r -> r.rssPerConnection() / 1024)}));
    if (!tuned.isEmpty()) {
      Files.writeString(dir.resolve(base + "-tuning.svg"), BarChart.svg(
          "holdfast node under JVM settings: memory per held WebSocket", "KiB per connection",
          tuned.stream().map(Row::label).toList(), List.of("live heap after full GC", "RSS growth"),
          new double[][] {values(tuned, r -> r.heapPerConnection() / 1024),
              values(tuned, r -> r.rssPerConnection() / 1024)}));
    }
    JsonObject json = new JsonObject().put("benchmark", "lean-node").put("stamp", stamp).put("machine", machine)
        .put("settings", settings)
        .put("servers", new JsonArray(main.stream().map(Row::toJson).toList()))
        .put("tuning", new JsonArray(tuned.stream().map(Row::toJson).toList()))
        .put("rounds", new JsonArray(byRound.stream()
            .map(r -> new JsonArray(r.stream().map(Measurement::toJson).toList())).toList()))
        .put("tuningRuns", new JsonArray(tunedRuns.stream()
            .map(r -> new JsonArray(r.stream().map(Measurement::toJson).toList())).toList()));
    Files.writeString(dir.resolve(base + ".json"), json.encodePrettily());
    Path md = dir.resolve(base + ".md");
    Files.writeString(md, markdown(base));
    return md;
  }

  private static double[] values(List<Row> rows, ToDoubleFunction<Row> f) {
    return rows.stream().mapToDouble(f).toArray();
  }

  private String markdown(String base) {
    int rounds = byRound.size();
    StringBuilder b = new StringBuilder();
    b.append("# Lean node: memory per held WebSocket (").append(stamp).append(")\n\n");
    b.append(machineLine()).append("\n\n");
    b.append(String.format("Load: %,d connections held from a separate driver process (plain Netty client) over %d "
            + "source addresses from 127.0.0.2, at most %d handshakes in flight; then one %d-byte text message per "
            + "connection every %d s, phases spread, for a %d s hold. %,d warm-up connections were opened, echoed and "
            + "closed before the baseline reading. Server event loops: %d. Driver JVM: `%s`, %d event loops.%s%s%n%n",
        settings.getInteger("connections"), settings.getInteger("sources"), settings.getInteger("inFlight"),
        settings.getInteger("messageBytes"), settings.getLong("intervalSeconds"), settings.getLong("holdSeconds"),
        settings.getInteger("warmup"), settings.getInteger("serverThreads"), settings.getString("driverFlags"),
        settings.getInteger("driverThreads"),
        rounds > 1 ? String.format(" %d rounds, each running every server in turn; tables show medians.", rounds) : "",
        settings.getBoolean("tls", false) ? " Every connection over wss:// (TLS 1.3 where both ends offer it; the"
            + " certificate self-signed EC P-256, made by `lean-node.sh --tls`; the driver trusts it blindly)." : ""));
    String pin = settings.getString("pin", "");
    if (!pin.isEmpty()) {
      String[] cpus = pin.split(":");
      b.append(String.format("Pinned with taskset: every server on CPU %s, the driver on CPU %s.%n%n", cpus[0], cpus[1]));
    }
    b.append("Every server ran as `java ").append(settings.getString("jvmFlags")).append(" -jar ...` on ")
        .append(javaOf(main.get(0).java())).append(".\n\n");
    b.append("Command: `").append(settings.getString("command")).append("`  \n");
    b.append("holdfast node: ").append(settings.getString("holdfastJar")).append("  \n");
    b.append("baselines and driver: ").append(settings.getString("benchJar")).append("\n\n");

    Row netty = main.stream().filter(r -> r.server().equals("netty")).findFirst().orElse(null);
    b.append("## Results (ratios against plain Netty in the same run)\n\n");
    b.append("| server | held: client / server / OS | live heap / conn | RSS growth / conn | handshakes / s "
        + "| server CPU / 1,000 handshakes | echo p50 | echo p99 | server CPU holding | other processes' CPU | errors |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : main) {
      b.append(row(NAMES.get(r.server()), r, netty));
    }
    b.append("\nServer counts marked * are the driver's: the baselines keep no count of their own. "
        + "KiB = 1,024 bytes; CPU per 1,000 handshakes in ms equals µs per handshake; CPU in % of one core. "
        + "\"Other processes' CPU\" is what the rest of the machine used during the hold (not server, not driver): "
        + "the noise under the CPU and latency columns.");
    if (main.stream().anyMatch(r -> r.osForeign() != 0)) {
      b.append(" ‡ Established sockets on the server's port whose remote address is none of the driver's: other "
          + "processes on this shared machine connected to it during the run (the log names their addresses).");
    }
    if (main.stream().anyMatch(r -> r.server().equals("holdfast-os1h"))) {
      b.append(" † A diagnostic row, not a target: the same node with `{\"osCountInterval\": \"1h\"}`, so it does "
          + "not read `/proc/net/tcp6` every 10 s; the difference to the plain holdfast row is what that reading costs.");
    }
    if (main.stream().anyMatch(r -> r.server().equals("holdfast-clustered"))) {
      b.append(" § The same node joined to a Hazelcast cluster (loopback config, a cluster of its own), publishing its "
          + "count snapshot every second: against the standalone holdfast row, the cost of clustering.");
    }
    b.append("\n\n![memory per held connection](").append(base).append(".svg)\n\n");

    if (netty != null && main.stream().anyMatch(r -> r.server().equals("holdfast"))) {
      targets(b, netty);
    }

    b.append("## Footprint, and where the RSS growth goes\n\n"
        + "RSS split by address: pages inside the Java heap's reserved range (from `GC.heap_info`, counted in "
        + "`/proc/PID/smaps`) and the rest (metaspace, code cache, thread stacks, direct buffers, malloc). Heap pages "
        + "stay resident once the collector has touched them, so their growth follows how much of the heap the "
        + "allocation churn cycled through, not only what is live.\n\n");
    b.append("The last two columns are marginal: the growth from half the connections to all of them (both read "
        + "before any echo), per connection added. They leave out one-time growth (JIT code and compiler memory, "
        + "buffer pools, heap pages first touched) that the averages over the whole run spread over the connections.\n\n");
    b.append("| server | live heap before | RSS before | RSS held | RSS growth / conn | of it heap pages | of it the rest "
        + "| marginal live heap / conn | marginal RSS / conn |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : main) {
      b.append(String.format(Locale.ROOT, "| %s | %.1f MiB | %.1f MiB | %.1f MiB | %s | %s | %s | %s | %s |%n",
          NAMES.get(r.server()), r.heapBeforeMiB(), r.rssBeforeMiB(), r.rssHeldMiB(), kib(r.rssPerConnection()),
          kib(r.heapPagesPerConnection()), kib(r.otherRssPerConnection()), kib(r.marginalHeapPerConnection()),
          kib(r.marginalRssPerConnection())));
    }
    b.append("\n## Where the heap per connection goes\n\nGrowth of `jcmd PID GC.class_histogram` (live objects after "
        + "a full GC) from before the load to full hold, divided by the connections held, in bytes per connection; "
        + "the classes that grew most in any server" + (rounds > 1 ? " (first round)" : "") + ".\n\n");
    classTable(b);

    if (!tuned.isEmpty()) {
      Row ref = tuned.get(0);
      b.append("## JVM tuning on top (holdfast node only; ratios against its main-run G1)\n\n");
      b.append(String.format("Each variant is %s of the same load (the node as shipped, default config); the g1 row is the "
              + "main pass's holdfast row. Live heap and RSS repeat within a few percent between runs; CPU and p99 from "
              + "a single run move with the machine's other load (see that column), so read them as rough.%n%n",
          settings.getInteger("tuningRounds") == 1 ? "one full run"
              : "the median of " + settings.getInteger("tuningRounds") + " full runs"));
      b.append("| variant | java | JVM flags | live heap / conn | RSS growth / conn (heap pages + rest, KiB) "
          + "| RSS before load → held | server CPU / 1,000 handshakes | echo p99 | server CPU holding | other processes' CPU "
          + "| held (client / server / OS) | errors |\n");
      b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Row r : tuned) {
        b.append(String.format(Locale.ROOT, "| %s | %s | `%s` | %s | %s (%.2f + %.2f) | %.0f → %.0f MiB | %s | %s | %.1f%% "
                + "| %.0f%% "
                + "| %,d / %,d / %s | %d |%n",
            r.label(), javaOf(r.java()), r.jvmFlags(),
            withRatio(kib(r.heapPerConnection()), r.heapPerConnection(), ref.heapPerConnection()),
            withRatio(kib(r.rssPerConnection()), r.rssPerConnection(), ref.rssPerConnection()),
            r.heapPagesPerConnection() / 1024, r.otherRssPerConnection() / 1024, r.rssBeforeMiB(), r.rssHeldMiB(),
            withRatio(msPer1000(r), r.cpuMsPer1000Handshakes(), ref.cpuMsPer1000Handshakes()),
            withRatio(ms(r.p99Micros()), r.p99Micros(), ref.p99Micros()),
            r.holdCpuPercent(), r.othersCpuPercent(), r.clientHeld(), r.serverHeld(), osCount(r), r.errors()));
      }
      b.append("\n![holdfast under JVM settings](").append(base).append("-tuning.svg)\n\n");
    }
    b.append(HOW_MEASURED);
    return b.toString();
  }

  /** The targets, as the median over rounds of each round's holdfast/Netty ratio. */
  private void targets(StringBuilder b, Row netty) {
    Row hf = main.stream().filter(r -> r.server().equals("holdfast")).findFirst().orElseThrow();
    int n = main.indexOf(netty);
    int h = main.indexOf(hf);
    List<Row[]> pairs = byRound.stream().map(r -> new Row[] {Row.of(r.get(h)), Row.of(r.get(n))}).toList();
    b.append("## Targets: holdfast against plain Netty\n\n");
    if (pairs.size() > 1) {
      b.append("Each ratio is the median of the rounds' own ratios; per round: see the last column.\n\n");
    }
    b.append("| target | limit | measured | | per round |\n|---|---|---|---|---|\n");
    target(b, "live heap / conn", 1.0, pairs, Row::heapPerConnection);
    target(b, "RSS growth / conn", 1.1, pairs, Row::rssPerConnection);
    target(b, "server CPU / 1,000 handshakes", 1.1, pairs, Row::cpuMsPer1000Handshakes);
    target(b, "echo p99", 1.2, pairs, Row::p99Micros);
    b.append(String.format("| errors | 0 | %d | %s | |%n", hf.errors(), hf.errors() == 0 ? "met" : "**missed**"));
    boolean counts = pairs.stream().allMatch(p -> p[0].countsAgree() && p[0].clientHeld() == p[0].target());
    b.append(String.format("| counts equal | client = server = OS = %,d | %,d / %,d / %s | %s | |%n%n", hf.target(),
        hf.clientHeld(), hf.serverHeld(), osCount(hf), counts ? "met" : "**missed**"));
  }

  private static void target(StringBuilder b, String what, double limit, List<Row[]> pairs, ToDoubleFunction<Row> f) {
    double[] ratios = pairs.stream().mapToDouble(p -> f.applyAsDouble(p[0]) / f.applyAsDouble(p[1])).toArray();
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    int k = sorted.length;
    double median = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    StringBuilder per = new StringBuilder();
    for (double r : ratios) {
      per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f×", r));
    }
    // rounds that disagree by more than half are telling about the machine, not the server
    boolean noisy = sorted.length > 1 && sorted[sorted.length - 1] > 1.5 * sorted[0];
    b.append(String.format(Locale.ROOT, "| %s | ≤ %.1f× | %.2f× | %s | %s%s |%n", what, limit, median,
        median <= limit ? "met" : "**missed**", per, noisy ? " (rounds disagree: noisy)" : ""));
  }

  private void classTable(StringBuilder b) {
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (int i = 0; i < main.size(); i++) {
      JsonArray top = main.get(i).topClasses();
      for (int j = 0; j < top.size(); j++) {
        JsonObject c = top.getJsonObject(j);
        rows.computeIfAbsent(c.getString("class"), k -> new double[main.size()])[i] = c.getDouble("bytesPerConnection");
      }
    }
    List<Map.Entry<String, double[]>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort((x, y) -> Double.compare(Arrays.stream(y.getValue()).max().orElse(0),
        Arrays.stream(x.getValue()).max().orElse(0)));
    b.append("| class |");
    main.forEach(r -> b.append(' ').append(NAMES.get(r.server())).append(" |"));
    b.append("\n|---|");
    main.forEach(r -> b.append("---:|"));
    b.append('\n');
    for (var e : sorted.subList(0, Math.min(22, sorted.size()))) {
      b.append("| `").append(e.getKey()).append("` |");
      for (double v : e.getValue()) {
        b.append(v == 0 ? " · |" : String.format(Locale.ROOT, " %.0f |", v));
      }
      b.append('\n');
    }
    b.append("| **all classes** |");
    main.forEach(r -> b.append(String.format(Locale.ROOT, " **%.0f** |", r.heapPerConnection())));
    b.append("\n\n(· : not among that server's 15 largest.)\n\n");
  }

  private String row(String name, Row r, Row ref) {
    boolean isRef = r == ref || ref == null;
    return String.format(Locale.ROOT, "| %s | %,d / %s / %s | %s | %s | %,.0f | %s | %s | %s | %.1f%% | %.0f%% | %d |%n",
        name, r.clientHeld(),
        r.serverHeld() < 0 ? String.format("%,d*", r.clientHeld()) : String.format("%,d", r.serverHeld()), osCount(r),
        isRef ? kib(r.heapPerConnection())
            : withRatio(kib(r.heapPerConnection()), r.heapPerConnection(), ref.heapPerConnection()),
        isRef ? kib(r.rssPerConnection())
            : withRatio(kib(r.rssPerConnection()), r.rssPerConnection(), ref.rssPerConnection()),
        r.handshakesPerSecond(),
        isRef ? msPer1000(r) : withRatio(msPer1000(r), r.cpuMsPer1000Handshakes(), ref.cpuMsPer1000Handshakes()),
        ms(r.p50Micros()),
        isRef ? ms(r.p99Micros()) : withRatio(ms(r.p99Micros()), r.p99Micros(), ref.p99Micros()),
        r.holdCpuPercent(), r.othersCpuPercent(), r.errors());
  }

  /** The OS count, with the connections that came from other processes than the driver named apart. */
  private static String osCount(Row r) {
    return r.osForeign() == 0 ? String.format("%,d", r.osHeld())
        : String.format("%,d (%,d of them not the driver's ‡)", r.osHeld(), r.osForeign());
  }

  private static String withRatio(String value, double v, double ref) {
    return String.format(Locale.ROOT, "%s (%.2f×)", value, v / ref);
  }

  private static String kib(double bytes) {
    return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024);
  }

  private static String ms(double micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  private static String msPer1000(Row r) {
    return String.format(Locale.ROOT, "%.0f ms", r.cpuMsPer1000Handshakes());
  }

  private String machineLine() {
    return String.format("Measured %s–%s (machine clock) on %s, %d cores (`nproc` %s), %s, Linux %s, open-file limit "
            + "%d per process, ephemeral ports %s.", settings.getString("started"), settings.getString("finished"),
        machine.getString("cpu"), machine.getInteger("cores"), machine.getString("nproc"), machine.getString("memory"),
        machine.getString("kernel"), machine.getLong("openFileLimit"), machine.getString("ephemeralPorts"));
  }

  /** A java's version as {@code java -version} names it, e.g. {@code 17.0.15 (Debian)} or {@code 25.0.3 (Temurin)}. */
  private String javaOf(String javaPath) {
    String v = machine.getJsonObject("java").getString(javaPath, "");
    Matcher m = VERSION.matcher(v);
    if (!m.find()) {
      return javaPath;
    }
    String vendor = v.contains("Temurin") ? " (Temurin)" : v.contains("Debian") ? " (Debian)" : "";
    return "Java " + m.group(1) + vendor;
  }

  private static final String HOW_MEASURED = """
      ## How each column is measured

      - **held: client / server / OS**: the driver's open WebSockets; the server's own count (holdfast's
        `GET /status` `connections.held`); established TCP sockets whose local end is the server's address
        and port, from `/proc/net/tcp` and `/proc/net/tcp6`. Read at full hold.
      - **live heap / conn**: total of `jcmd PID GC.class_histogram` (which forces a full GC and counts live
        objects only) at full hold, minus the same before the load, divided by the connections held.
      - **RSS growth / conn**: `VmRSS` from `/proc/PID/status` at full hold minus before the load (both right
        after those full GCs), divided by the connections held. Split into Java heap pages and the rest by
        address (`/proc/PID/smaps`). Kernel socket buffers are not in RSS.
      - **handshakes / s**: connections opened divided by the time from the driver's start of the connect phase
        until every handshake had settled (driver-side; bounded by the in-flight limit and by both processes
        sharing the cores).
      - **server CPU / 1,000 handshakes**: the server's utime + stime (`/proc/PID/stat`, all threads) across the
        connect phase, per 1,000 handshakes; in ms, so equal to µs per handshake.
      - **echo p50 / p99**: the driver's HdrHistogram of echo round trips, each measured from the message's
        *intended* send time (its phase slot), so a late send counts against the latency (no coordinated omission).
      - **server CPU holding**: the server's CPU across the hold window divided by its length, in % of one core.
      - **other processes' CPU**: all CPU the machine used during the hold (`/proc/stat`) less the server's and
        the driver's: other tenants of a shared machine. When it is high, CPU and latency figures are noisy.
      - **errors**: the driver's classified errors: connect refused / timeout / address not available / too many
        open files, handshake status, handshake timeout, closes by the server, drops without a close frame,
        wrong or missing echoes, close handshakes that did not finish; see the JSON for the breakdown.
      """;
}
