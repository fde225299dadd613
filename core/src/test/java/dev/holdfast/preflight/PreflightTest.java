package dev.holdfast.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.preflight.Finding.FixLine;
import dev.holdfast.preflight.Finding.Verdict;
import dev.holdfast.preflight.Finding.Where;
import dev.holdfast.preflight.SocketDemand.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks against fake machines: what blocks, what the fix lines say, and reading a fake /proc. */
class PreflightTest {

  /** The roles' default openFileReserve (NodeConfig, SimulatorConfig). */
  static final int RESERVE_NODE = 1000;
  static final int RESERVE_SIMULATOR = 500;

  /** A roomy machine: 2M open files, nr_open 4M, wide ports, 64 GiB, conntrack not loaded. */
  static MachineLimits roomy() {
    return new MachineLimits(2_000_000, 2_000_000, 8_000_000, 4_000_000, 1024, 65535, 4096,
        new long[] {2_000_000, 3_000_000, 4_000_000}, -1, 64L << 20, 60L << 20);
  }

  /** A small, untuned machine: ulimit 1024, defaults elsewhere, conntrack loaded, 2 GiB available. */
  static MachineLimits small() {
    return new MachineLimits(1024, 1024, 200_000, 1_048_576, 32768, 60999, 128,
        new long[] {1000, 2000, 3000}, 65536, 4L << 20, 2L << 20);
  }

  private static Finding finding(List<Finding> all, String name) {
    return all.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> lines(Finding f, Where where) {
    return f.fixes().stream().filter(l -> l.where() == where).map(FixLine::line).toList();
  }

  @Test
  void aRoomyMachineHoldsAMillionAtANode() {
    List<Finding> all = Preflight.check(roomy(), new SocketDemand(Role.NODE, 1_000_000, 1, RESERVE_NODE));
    assertThat(all).extracting(Finding::verdict).containsOnly(Verdict.OK);
    assertThat(Preflight.blocked(all)).isFalse();
    assertThat(Preflight.render(roomy(), new SocketDemand(Role.NODE, 1_000_000, 1, RESERVE_NODE), all))
        .contains("Nothing blocks 1,000,000 connections.").doesNotContain("To fix");
  }

  @Test
  void aLowOpenFileLimitBlocksAndNamesItsFixes() {
    Finding f = Preflight.openFiles(small(), new SocketDemand(Role.NODE, 5000, 1, RESERVE_NODE));
    assertThat(f.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(f.detail()).contains("hard limit 1,024").contains("needs 6,000");
    assertThat(lines(f, Where.LIMITS)).containsExactly("*  soft  nofile  6000", "*  hard  nofile  6000");
    assertThat(lines(f, Where.SYSTEMD)).containsExactly("LimitNOFILE=6000");
    assertThat(lines(f, Where.SHELL)).containsExactly("ulimit -n 6000");
    // the simulator keeps a smaller reserve
    assertThat(lines(Preflight.openFiles(small(), new SocketDemand(Role.SIMULATOR, 5000, 1, RESERVE_SIMULATOR)), Where.SYSTEMD))
        .containsExactly("LimitNOFILE=5500");
    assertThat(Preflight.openFiles(small(), new SocketDemand(Role.NODE, 24, 1, RESERVE_NODE)).verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aLimitAboveNrOpenNeedsNrOpenRaisedFirst() {
    List<Finding> all = Preflight.check(roomy(), new SocketDemand(Role.NODE, 5_000_000, 1, RESERVE_NODE));
    Finding nrOpen = finding(all, "fs.nr_open");
    assertThat(nrOpen.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(lines(nrOpen, Where.SYSCTL)).containsExactly("fs.nr_open = 5001000");
    assertThat(finding(all, "fs.file-max").verdict()).isEqualTo(Verdict.OK);
    assertThat(Preflight.fileMax(small(), new SocketDemand(Role.NODE, 500_000, 1, RESERVE_NODE)).fixes())
        .containsExactly(new FixLine(Where.SYSCTL, "fs.file-max = 1002000"));
  }

  @Test
  void portsAreCheckedForTheSimulatorOnlyAndCountSourceAddresses() {
    assertThat(Preflight.check(small(), new SocketDemand(Role.NODE, 100_000, 1, RESERVE_NODE)))
        .extracting(Finding::name).doesNotContain("ephemeral ports");
    // 28,232 ports per source address
    assertThat(Preflight.ephemeralPorts(small(), new SocketDemand(Role.SIMULATOR, 100_000, 4, RESERVE_SIMULATOR)).verdict())
        .isEqualTo(Verdict.OK);
    Finding blocked = Preflight.ephemeralPorts(small(), new SocketDemand(Role.SIMULATOR, 100_000, 3, RESERVE_SIMULATOR));
    assertThat(blocked.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(blocked.detail()).contains("84,696");
    assertThat(lines(blocked, Where.SYSCTL)).containsExactly("net.ipv4.ip_local_port_range = 1024 65535");
    // 64,512 per address once widened: two addresses, and the three given are enough
    assertThat(lines(blocked, Where.COMMAND)).isEmpty();
    Finding many = Preflight.ephemeralPorts(small(), new SocketDemand(Role.SIMULATOR, 1_000_000, 1, RESERVE_SIMULATOR));
    assertThat(lines(many, Where.COMMAND)).singleElement().asString()
        .startsWith("--source-address 127.0.0.1 --source-address 127.0.0.2 ... --source-address 127.0.0.16 ")
        .contains("16 addresses");
  }

  @Test
  void aShortBacklogWarnsANodeWithoutBlocking() {
    Finding f = Preflight.somaxconn(small(), new SocketDemand(Role.NODE, 100, 1, RESERVE_NODE));
    assertThat(f.verdict()).isEqualTo(Verdict.WARN);
    assertThat(f.fixes()).containsExactly(new FixLine(Where.SYSCTL, "net.core.somaxconn = 4096"));
    assertThat(Preflight.somaxconn(small(), new SocketDemand(Role.SIMULATOR, 100, 1, RESERVE_SIMULATOR)).verdict()).isEqualTo(Verdict.OK);
    assertThat(Preflight.blocked(List.of(f))).isFalse();
  }

  @Test
  void tcpMemIsInPagesOnePerBusySocket() {
    // tcp_mem 1000 2000 3000 pages: 2,500 sockets pass the pressure mark, 3,500 the maximum
    assertThat(Preflight.tcpMem(small(), new SocketDemand(Role.NODE, 1500, 1, RESERVE_NODE)).verdict()).isEqualTo(Verdict.OK);
    assertThat(Preflight.tcpMem(small(), new SocketDemand(Role.NODE, 2500, 1, RESERVE_NODE)).verdict()).isEqualTo(Verdict.WARN);
    Finding blocked = Preflight.tcpMem(small(), new SocketDemand(Role.NODE, 3500, 1, RESERVE_NODE));
    assertThat(blocked.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(blocked.fixes()).containsExactly(new FixLine(Where.SYSCTL, "net.ipv4.tcp_mem = 3500 5250 7000"));
  }

  @Test
  void conntrackCountsOnlyWhenLoaded() {
    assertThat(Preflight.conntrack(roomy(), new SocketDemand(Role.NODE, 10_000_000, 1, RESERVE_NODE)).verdict())
        .isEqualTo(Verdict.OK);
    Finding f = Preflight.conntrack(small(), new SocketDemand(Role.NODE, 100_000, 1, RESERVE_NODE));
    assertThat(f.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(f.fixes()).containsExactly(new FixLine(Where.SYSCTL, "net.netfilter.nf_conntrack_max = 125000"));
  }

  @Test
  void memoryCountsHeapProcessAndKernelPerConnection() {
    // a node: 2 x 1.65 KiB heap + 256 MiB, then 2.06 KiB process + 4.5 KiB kernel per connection
    SocketDemand d = new SocketDemand(Role.NODE, 1_000_000, 1, RESERVE_NODE);
    long heap = Preflight.heapBytes(d);
    assertThat(heap).isEqualTo(Math.round(2 * 1_000_000 * 1.65 * 1024) + (256L << 20));
    assertThat(Preflight.memory(roomy(), d).verdict()).isEqualTo(Verdict.OK);
    Finding f = Preflight.memory(small(), d); // about 9.6 GiB against 2 GiB available
    assertThat(f.verdict()).isEqualTo(Verdict.BLOCKS);
    assertThat(f.fixes()).containsExactly(new FixLine(Where.JVM, "-Xmx3479m"));
    assertThat(Preflight.heapFlag(13L << 30)).isEqualTo("13g");
    assertThat(Preflight.heapFlag((13L << 30) + 1)).isEqualTo("14g");
  }

  @Test
  void whatTheMachineDoesNotShowIsUnknownAndBlocksNothing() {
    MachineLimits blank = new MachineLimits(-1, -1, -1, -1, -1, -1, -1, new long[0], -1, -1, -1);
    List<Finding> all = Preflight.check(blank, new SocketDemand(Role.SIMULATOR, 1000, 1, RESERVE_SIMULATOR));
    assertThat(all).extracting(Finding::verdict).containsOnly(Verdict.UNKNOWN, Verdict.OK);
    assertThat(Preflight.blocked(all)).isFalse();
  }

  @Test
  void theReportGroupsFixLinesByFile() {
    SocketDemand d = new SocketDemand(Role.SIMULATOR, 100_000, 1, RESERVE_SIMULATOR);
    String report = Preflight.render(small(), d, Preflight.check(small(), d));
    assertThat(report)
        .contains("BLOCKS  open files per process")
        .contains("in /etc/security/limits.d/90-holdfast.conf")
        .contains("    LimitNOFILE=100500\n")
        .contains("    net.ipv4.ip_local_port_range = 1024 65535\n")
        .contains("check(s) block 100,000 connections.");
  }

  @Test
  void readsAFakeProc(@TempDir Path proc) throws Exception {
    Function<String, Path> file = name -> {
      Path p = proc.resolve(name);
      try {
        Files.createDirectories(p.getParent());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return p;
    };
    Files.writeString(file.apply("self/limits"), """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            1024                 524288               files
        Max locked memory         8388608              8388608              bytes
        """);
    Files.writeString(file.apply("sys/fs/file-max"), "9223372036854775807\n");
    Files.writeString(file.apply("sys/fs/nr_open"), "1048576\n");
    Files.writeString(file.apply("sys/net/ipv4/ip_local_port_range"), "32768\t60999\n");
    Files.writeString(file.apply("sys/net/core/somaxconn"), "4096\n");
    Files.writeString(file.apply("sys/net/ipv4/tcp_mem"), "287892\t383858\t575784\n");
    Files.writeString(file.apply("meminfo"), "MemTotal:       24683584 kB\nMemFree:  1 kB\nMemAvailable:   24271160 kB\n");
    MachineLimits m = MachineLimits.read(proc);
    assertThat(m.openFilesSoft()).isEqualTo(1024);
    assertThat(m.openFilesHard()).isEqualTo(524_288);
    assertThat(m.fileMax()).isEqualTo(Long.MAX_VALUE);
    assertThat(m.nrOpen()).isEqualTo(1_048_576);
    assertThat(m.ephemeralPorts()).isEqualTo(28_232);
    assertThat(m.somaxconn()).isEqualTo(4096);
    assertThat(m.tcpMemPages()).containsExactly(287_892, 383_858, 575_784);
    assertThat(m.conntrackMax()).isEqualTo(-1); // no nf_conntrack_max: the module is not loaded
    assertThat(m.memTotalKib()).isEqualTo(24_683_584);
    assertThat(m.memAvailableKib()).isEqualTo(24_271_160);
    assertThat(MachineLimits.openFiles("Max open files            unlimited            unlimited            files"))
        .containsExactly(Long.MAX_VALUE, Long.MAX_VALUE);
  }
}
