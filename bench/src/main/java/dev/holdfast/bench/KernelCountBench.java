package dev.holdfast.bench;

import dev.holdfast.os.KernelSockets;
import dev.holdfast.os.NetlinkSockDiag;
import dev.holdfast.os.ProcFiles;
import dev.holdfast.os.ProcNetTcp;
import dev.holdfast.os.SocketDescriptors;
import dev.holdfast.os.SocketFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The kernel-count benchmark: what one count of a node's own sockets costs (CPU and wall time of the
 * counting thread, medians of several reads) as the machine's other sockets grow, for the old reader
 * ({@code /proc/net/tcp*}, every process's sockets on the port) and the new ones (netlink sock_diag with
 * the port filtered in the kernel; either one intersected with {@code /proc/self/fd}). This process
 * owns {@code --own} accepted sockets on its port; {@link SocketHolder} processes add the machine's
 * other sockets, at most 9,000 loopback pairs each. Writes {@code kernel-count-<date>.md}, {@code .json}
 * and {@code .svg} into {@code --out-dir}.
 */
final class KernelCountBench {

  private static final int MAX_PAIRS_PER_HOLDER = 9_000;
  private static final String OLD = "old: /proc/net/tcp*, port only";
  private static final String CHOSEN = "own descriptors by number + TCP_INFO (socket-fds, chosen)";
  private static final String LISTED = "own descriptors listed from /proc/self/fd + TCP_INFO (socket-fds before)";
  private static final String FALLBACK = "/proc/net/tcp* + /proc/self/fd (the fallback)";
  private static final String NETLINK_OWN = "netlink + /proc/self/fd";
  /** The chart has four colours: the old reader, the fallback, netlink for own sockets, the chosen one. */
  private static final List<String> PLOTTED = List.of(OLD, FALLBACK, NETLINK_OWN, CHOSEN);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<Process> holders = new ArrayList<>();

  private KernelCountBench() {
  }

  public static void main(String[] args) throws Exception {
    Flags flags = Flags.parse("kernel-count", args, Set.of());
    String levelsFlag = flags.string("machine-sockets", "10000,50000,100000",
        "the machine's established sockets to measure at, comma-separated (helpers add the difference)");
    int own = flags.integer("own", 5_000, "accepted sockets this process holds on its port");
    int reads = flags.integer("reads", 7, "reads per method and level; the median is reported");
    Path outDir = Path.of(flags.string("out-dir", "bench/results", "where the report goes"));
    String command = flags.string("command", "bench/kernel-count.sh", "the command line, for the report");
    String fromJson = flags.string("from-json", "", "write the .md and .svg again from this run's .json, measuring nothing");
    flags.finish();
    if (!fromJson.isEmpty()) {
      JsonObject report = new JsonObject(Files.readString(Path.of(fromJson)));
      write(report, new ArrayList<>(report.getJsonArray("rows").getJsonObject(0).getJsonObject("methods").fieldNames()),
          outDir);
      return;
    }
    int[] levels = Arrays.stream(levelsFlag.split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted().toArray();
    KernelCountBench bench = new KernelCountBench();
    try {
      bench.run(levels, own, reads, outDir, command);
    } finally {
      bench.stopHolders();
    }
  }

  private void run(int[] levels, int own, int reads, Path outDir, String command) throws Exception {
    NetlinkSockDiag netlink = NetlinkSockDiag.open().orElseThrow(
        () -> new IllegalArgumentException("kernel-count: netlink sock_diag is refused here; nothing to compare"));
    String loadBefore = ProcFiles.read(Path.of("/proc/loadavg")).trim();
    KernelSockets viaNetlink = KernelSockets.of(netlink);
    KernelSockets viaProc = KernelSockets.of(ProcNetTcp.tables());
    SocketFilter everything = new SocketFilter(new int[0], new int[0], List.of(), false);

    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket node = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"))) {
      int port = node.getLocalPort();
      Thread acceptor = SocketHolder.acceptor(node, own, accepted);
      startHolder(0, port, own);
      acceptor.join();
      SocketFilter mine = SocketFilter.localPorts(port).ownedByThisProcess();
      Map<String, LongSupplier> methods = new LinkedHashMap<>();
      SocketDescriptors fds = SocketDescriptors.open().orElseThrow(
          () -> new IllegalArgumentException("kernel-count: JNA cannot query this process's descriptors here"));
      KernelSockets viaFds = KernelSockets.of(fds, netlink);
      methods.put(OLD, () -> ProcNetTcp.countEstablishedOnLocalPort(port));
      methods.put(FALLBACK, () -> viaProc.count(mine));
      methods.put("netlink, port only", () -> viaNetlink.count(SocketFilter.localPorts(port)));
      methods.put(NETLINK_OWN, () -> viaNetlink.count(mine));
      methods.put(CHOSEN, () -> viaFds.count(mine));
      int[] ports = {port};
      methods.put(LISTED, () -> {
        long[] n = {0};
        fds.scanListed(ports, new int[0], false, (fd, la, lp, ra, rp) -> n[0]++);
        return n[0];
      });
      methods.put("/proc/self/fd listing alone", () -> ProcFiles.descriptors(Path.of("/proc/self/fd")).orElseThrow().length);
      methods.put("/proc/self/fd readlinks alone", () -> ProcFiles.socketInodes(Path.of("/proc/self/fd")).orElseThrow().length);

      JsonArray rows = new JsonArray();
      for (int level : levels) {
        long machine = viaNetlink.count(everything);
        while (machine + 2 <= level && holders.size() < 64) {
          int pairs = (int) Math.min(MAX_PAIRS_PER_HOLDER, (level - machine) / 2);
          startHolder(pairs, 0, 0);
          machine = viaNetlink.count(everything);
        }
        JsonObject row = new JsonObject().put("targetMachineSockets", level).put("machineSockets", machine)
            .put("ownSockets", own);
        JsonObject byMethod = new JsonObject();
        for (Map.Entry<String, LongSupplier> m : methods.entrySet()) {
          byMethod.put(m.getKey(), measure(m.getValue(), reads));
        }
        row.put("methods", byMethod);
        rows.add(row);
        System.out.printf(Locale.ROOT, "machine %,d sockets: %s%n", machine, byMethod.encode());
      }
      String loadAfter = ProcFiles.read(Path.of("/proc/loadavg")).trim();
      JsonObject report = new JsonObject()
          .put("benchmark", "kernel-count")
          .put("command", command)
          .put("when", LocalDateTime.now().toString())
          .put("reads", reads)
          .put("ownSockets", own)
          .put("loadAverageBefore", loadBefore)
          .put("loadAverageAfter", loadAfter)
          .put("machine", Machine.describe(List.of(Path.of(System.getProperty("java.home"), "bin", "java"))))
          .put("rows", rows);
      write(report, new ArrayList<>(methods.keySet()), outDir);
      node.close();
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** Median CPU (user + system, of this thread) and wall milliseconds of {@code reads} counts, and the counts. */
  private JsonObject measure(LongSupplier count, int reads) {
    count.getAsLong(); // warm: class loading, JIT of the parser
    double[] cpu = new double[reads];
    double[] wall = new double[reads];
    JsonArray counts = new JsonArray();
    for (int i = 0; i < reads; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      long n = count.getAsLong();
      wall[i] = (System.nanoTime() - w0) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
      counts.add(n);
    }
    return new JsonObject().put("cpuMs", median(cpu)).put("wallMs", median(wall)).put("counts", counts);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private void startHolder(int pairs, int connectPort, int clients) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), SocketHolder.class.getName(),
        "--pairs", Integer.toString(pairs), "--connect", Integer.toString(connectPort),
        "--clients", Integer.toString(clients))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    holders.add(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (line == null || !line.startsWith("ready")) {
      throw new IllegalStateException("a socket holder did not get ready: " + line);
    }
  }

  private void stopHolders() throws InterruptedException {
    for (Process p : holders) {
      try {
        p.getOutputStream().close();
      } catch (java.io.IOException ignored) {
        // it is gone already
      }
    }
    for (Process p : holders) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static void write(JsonObject report, List<String> methods, Path outDir) throws Exception {
    Files.createDirectories(outDir);
    String stamp = LocalDateTime.parse(report.getString("when")).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    String base = "kernel-count-" + stamp;
    JsonArray rows = report.getJsonArray("rows");
    List<String> groups = new ArrayList<>();
    List<String> plotted = methods.stream().filter(PLOTTED::contains).toList();
    double[][] cpu = new double[plotted.size()][rows.size()];
    for (int g = 0; g < rows.size(); g++) {
      JsonObject row = rows.getJsonObject(g);
      groups.add(String.format(Locale.ROOT, "%,d sockets", row.getLong("machineSockets")));
      for (int m = 0; m < plotted.size(); m++) {
        cpu[m][g] = row.getJsonObject("methods").getJsonObject(plotted.get(m)).getDouble("cpuMs");
      }
    }
    Path json = outDir.resolve(base + ".json");
    if (!Files.exists(json)) {
      Files.writeString(json, report.encodePrettily() + "\n");
    }
    Files.writeString(outDir.resolve(base + ".svg"), BarChart.svg(
        "One count of the node's " + String.format(Locale.ROOT, "%,d", report.getInteger("ownSockets"))
            + " own sockets: CPU by the machine's sockets", "CPU ms (median)", groups, plotted, cpu));
    Files.writeString(outDir.resolve(base + ".md"), markdown(report, methods, base));
    System.out.println("wrote " + outDir.resolve(base + ".md"));
  }

  /** The chosen method against the old one at each level, and how each grew from the first level to the last. */
  private static String ratios(JsonArray rows) {
    StringBuilder b = new StringBuilder("\n");
    JsonObject first = rows.getJsonObject(0);
    JsonObject last = rows.getJsonObject(rows.size() - 1);
    for (int g = 0; g < rows.size(); g++) {
      JsonObject m = rows.getJsonObject(g).getJsonObject("methods");
      b.append(String.format(Locale.ROOT, "- at %,d sockets on the machine the chosen count took %.1f%% of the old "
              + "one's CPU%n", rows.getJsonObject(g).getLong("machineSockets"),
          100 * m.getJsonObject(CHOSEN).getDouble("cpuMs") / m.getJsonObject(OLD).getDouble("cpuMs")));
    }
    long added = last.getLong("machineSockets") - first.getLong("machineSockets");
    for (String method : List.of(OLD, CHOSEN)) {
      double grew = last.getJsonObject("methods").getJsonObject(method).getDouble("cpuMs")
          - first.getJsonObject("methods").getJsonObject(method).getDouble("cpuMs");
      b.append(String.format(Locale.ROOT, "- %s: %+.2f ms CPU for the %,d sockets added (%.2f µs each)%n",
          method, grew, added, grew * 1000 / added));
    }
    return b.toString();
  }

  private static String markdown(JsonObject report, List<String> methods, String base) {
    StringBuilder b = new StringBuilder();
    JsonObject machine = report.getJsonObject("machine");
    b.append("# Kernel socket count: one count's cost against the machine's sockets\n\n")
        .append("Command: `").append(report.getString("command")).append("`, ").append(report.getString("when"))
        .append(".  \nMachine: ").append(machine.getString("cpu")).append(", ").append(machine.getValue("nproc"))
        .append(" cores, ").append(machine.getString("memory")).append(", kernel ").append(machine.getString("kernel"))
        .append(". Load average before / after: ").append(report.getString("loadAverageBefore")).append(" / ")
        .append(report.getString("loadAverageAfter")).append(" (a shared machine: other builds ran meanwhile).\n\n")
        .append(String.format(Locale.ROOT, "The measuring process holds %,d accepted sockets on its port (their "
            + "clients in a helper process); helper processes hold the machine's other sockets as loopback pairs. "
            + "Each cell: median of %d counts, CPU (user + system of the counting thread) / wall, in ms.%n%n",
            report.getInteger("ownSockets"), report.getInteger("reads")))
        .append("| method |");
    JsonArray rows = report.getJsonArray("rows");
    for (int g = 0; g < rows.size(); g++) {
      b.append(String.format(Locale.ROOT, " %,d sockets on the machine |", rows.getJsonObject(g).getLong("machineSockets")));
    }
    b.append(" count |\n|---|").append("---:|".repeat(rows.size())).append("---:|\n");
    for (String m : methods) {
      b.append("| ").append(m).append(" |");
      Object counted = null;
      for (int g = 0; g < rows.size(); g++) {
        JsonObject cell = rows.getJsonObject(g).getJsonObject("methods").getJsonObject(m);
        b.append(String.format(Locale.ROOT, " %.2f / %.2f |", cell.getDouble("cpuMs"), cell.getDouble("wallMs")));
        counted = cell.getJsonArray("counts").getValue(0);
      }
      b.append(' ').append(counted).append(" |\n");
    }
    b.append("\n![CPU per count](").append(base).append(".svg)\n\n")
        .append("- **old**: what the node did before: `/proc/net/tcp` and `tcp6` parsed whole, every process's "
            + "sockets on the port counted (the kernel formats a text line for every TCP socket of the machine).\n")
        .append("- **netlink**: `NETLINK_SOCK_DIAG` with the ESTABLISHED state and the port filtered in the kernel; "
            + "`+ /proc/self/fd`: only sockets whose inode is one of this process's open files.\n")
        .append("- **own descriptors by number + TCP_INFO**: what an own-only count does now (`socket-fds`): "
            + "ask the kernel, for every descriptor number below the table's size (`FDSize` in /proc/self/status), "
            + "its TCP state (`getsockopt(TCP_INFO)`) and local end (`getsockname`; `getpeername` too where a remote "
            + "end is filtered); nothing per socket of other processes. **listed from /proc/self/fd**: the same calls "
            + "over the descriptors a listing of `/proc/self/fd` gives (the way before).\n")
        .append("- **/proc/self/fd listing alone**: the listing by itself (no links read, no calls).\n")
        .append("- **/proc/self/fd readlinks alone**: the ownership part of `+ /proc/self/fd` by itself.\n")
        .append("- count: what the method counted in its first read (the port-only methods see every process's "
            + "sockets on the port; here only this process has any).\n");
    b.append(ratios(rows));
    return b.toString();
  }
}
