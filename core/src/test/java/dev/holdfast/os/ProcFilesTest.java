package dev.holdfast.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {

  @Test
  void readsAProcFileWhole() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    assumeTrue(Files.exists(range), "Linux only");
    long[] ports = ProcFiles.numbers(range).orElseThrow();
    assertThat(ports).hasSize(2);
    assertThat(ports[0]).isLessThan(ports[1]);
  }

  @Test
  void missingOrMalformedFilesAreEmpty(@TempDir Path dir) throws Exception {
    assertThat(ProcFiles.readIfPresent(dir.resolve("absent"))).isEmpty();
    Path bad = Files.writeString(dir.resolve("bad"), "12 x 3\n");
    assertThat(ProcFiles.numbers(bad)).isEmpty();
    Path good = Files.writeString(dir.resolve("good"), "  188346\t251128 376692\n");
    assertThat(ProcFiles.numbers(good).orElseThrow()).containsExactly(188346, 251128, 376692);
  }
}
