package dev.holdfast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessesTest {

  @Test
  void listeningPortsStayOutOfTheEphemeralRange() {
    assertThat(ChildProcesses.listeningPorts(new int[] {32_768, 60_999})).containsExactly(22_768, 32_767);
    // a range starting low leaves room above it
    assertThat(ChildProcesses.listeningPorts(new int[] {15_000, 50_000})).containsExactly(50_001, 65_535);
    // nearly every port ephemeral: nothing outside to pick from, the OS picks then
    assertThat(ChildProcesses.listeningPorts(new int[] {1024, 65_000})).isEmpty();
  }

  @Test
  void aCollectorFlagIsRecognisedSoItCanReplaceG1() {
    assertThat(List.of("-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseZGC", "-XX:+UseG1GC"))
        .allMatch(ChildProcesses::choosesCollector);
    assertThat(List.of("-XX:-UseSerialGC", "-XX:+UseStringDeduplication", "-XX:+UseGCOverheadLimit", "-Xmx2g"))
        .noneMatch(ChildProcesses::choosesCollector);
  }

  @Test
  void freePortsAreDistinctBindableAndOutsideTheEphemeralRange(@TempDir Path dir) throws Exception {
    try (ChildProcesses children = new ChildProcesses(dir, List.of("java"), List.of())) {
      handsOutFreePorts(children);
    }
  }

  private static void handsOutFreePorts(ChildProcesses children) throws Exception {
    int[] ephemeral = DemoPlan.Machine.ephemeralRange();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = children.freePort();
      assertThat(port >= ephemeral[0] && port <= ephemeral[1]).as("%d in the ephemeral range", port).isFalse();
      assertThat(port).isGreaterThan(5740); // above the Hazelcast member ports
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // free for the child
      }
    }
  }
}
