package dev.holdfast.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.preflight.Finding.FixLine;
import dev.holdfast.preflight.Finding.Where;
import dev.holdfast.preflight.SocketDemand.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code ops/} hold every key that preflight can recommend, so that an operator who
 * installs them and one who follows preflight's lines end up setting the same things.
 */
class OpsFilesTest {

  private static final Path OPS = Path.of("..", "ops");
  private static final Pattern SYSCTL_LINE = Pattern.compile("^-?([a-z0-9_.-]+)\\s*=\\s*(.+)$");

  /** Every fix line preflight gives on a machine where every check fails, for both roles. */
  private static List<FixLine> everyFix() {
    MachineLimits bare = new MachineLimits(1024, 1024, 1000, 1000, 32768, 32769, 128,
        new long[] {1, 2, 3}, 10, 1 << 20, 1 << 10);
    List<FixLine> fixes = new ArrayList<>();
    for (Role role : Role.values()) {
      int reserve = role == Role.NODE ? PreflightTest.RESERVE_NODE : PreflightTest.RESERVE_SIMULATOR;
      for (Finding f : Preflight.check(bare, new SocketDemand(role, 10_000_000, 1, reserve))) {
        fixes.addAll(f.fixes());
      }
    }
    return fixes;
  }

  private static String read(String file) throws IOException {
    return Files.readString(OPS.resolve(file));
  }

  /** The keys of a sysctl.d file: "key = value" lines, an optional leading "-" (ignore failure). */
  private static Set<String> sysctlKeys(String text) {
    Set<String> keys = new TreeSet<>();
    for (String line : text.split("\n")) {
      Matcher m = SYSCTL_LINE.matcher(line.trim());
      if (m.matches()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  @Test
  void theSysctlFileHasEveryKeyPreflightRecommends() throws IOException {
    String text = read("sysctl.d/90-holdfast.conf");
    Set<String> recommended = new TreeSet<>();
    for (FixLine l : everyFix()) {
      if (l.where() == Where.SYSCTL) {
        recommended.add(l.line().substring(0, l.line().indexOf(' ')));
      }
    }
    assertThat(recommended).contains("fs.nr_open", "fs.file-max", "net.ipv4.tcp_mem", "net.core.somaxconn",
        "net.ipv4.ip_local_port_range", "net.netfilter.nf_conntrack_max");
    assertThat(sysctlKeys(text)).containsAll(recommended);
    // a config file of key = value lines and comments, never a script
    for (String line : text.split("\n")) {
      String t = line.trim();
      assertThat(t.isEmpty() || t.startsWith("#") || SYSCTL_LINE.matcher(t).matches()).as(line).isTrue();
    }
  }

  @Test
  void theLimitsFileAndTheUnitsSetWhatPreflightRecommends() throws IOException {
    String limits = read("limits.d/90-holdfast.conf");
    List<String> units = List.of(read("systemd/holdfast-node.service"), read("systemd/holdfast-simulator.service"));
    long nrOpen = sysctlValue(read("sysctl.d/90-holdfast.conf"), "fs.nr_open");
    for (FixLine l : everyFix()) {
      String[] f = l.line().split("\\s+");
      if (l.where() == Where.LIMITS) {
        // "*  soft  nofile  N": the same domain, type and item, with a limit the kernel allows
        Matcher m = Pattern.compile("(?m)^\\Q" + f[0] + "\\E\\s+" + f[1] + "\\s+" + f[2] + "\\s+(\\d+)$").matcher(limits);
        assertThat(m.find()).as("limits.d has %s %s %s", f[0], f[1], f[2]).isTrue();
        assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(nrOpen);
      } else if (l.where() == Where.SYSTEMD) {
        String key = l.line().substring(0, l.line().indexOf('=') + 1);
        for (String unit : units) {
          Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "(\\d+)$").matcher(unit);
          assertThat(m.find()).as("unit sets %s", key).isTrue();
          assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(nrOpen);
        }
      }
    }
    for (String unit : units) {
      assertThat(unit).containsPattern("(?m)^TimeoutStopSec=\\d+s$").containsPattern("(?m)^Environment=HOLDFAST_HEAP=\\d+g$");
    }
  }

  @Test
  void theUnitsHeapIsWhatPreflightSizesForTheirConnections() throws IOException {
    // both units are sized for 4,000,000 connections
    assertThat(read("systemd/holdfast-node.service")).contains("Environment=HOLDFAST_HEAP="
        + Preflight.heapFlag(Preflight.heapBytes(new SocketDemand(Role.NODE, 4_000_000, 1, PreflightTest.RESERVE_NODE))) + "\n");
    assertThat(read("systemd/holdfast-simulator.service")).contains("Environment=HOLDFAST_HEAP="
        + Preflight.heapFlag(Preflight.heapBytes(new SocketDemand(Role.SIMULATOR, 4_000_000, 1, PreflightTest.RESERVE_SIMULATOR))) + "\n");
  }

  private static long sysctlValue(String text, String key) {
    Matcher m = Pattern.compile("(?m)^-?" + Pattern.quote(key) + "\\s*=\\s*(\\d+)\\s*$").matcher(text);
    assertThat(m.find()).as(key).isTrue();
    return Long.parseLong(m.group(1));
  }
}
