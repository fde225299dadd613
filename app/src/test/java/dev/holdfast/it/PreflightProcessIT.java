package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code holdfast preflight} as an operator runs it, from the fat jar, in a shell whose open-file
 * limit is 1,024: it names the limit and the lines that raise it, and its exit code says whether
 * anything blocks.
 */
class PreflightProcessIT {

  /** Output and exit code of {@code ulimit -n 1024; exec java -jar holdfast.jar preflight ARGS}. */
  private record Run(int exit, String output) {
  }

  private static Run preflightUnderUlimit1024(String args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("holdfast.jar", "target/holdfast.jar");
    Process p = new ProcessBuilder(List.of("bash", "-c",
        "ulimit -n 1024 && exec \"$0\" -Xmx128m -jar \"$1\" preflight " + args, java, jar))
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // until the process closes its output
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("preflight ended").isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void fiveThousandConnectionsAreBlockedByTheOpenFileLimitWithItsFix() throws Exception {
    Run run = preflightUnderUlimit1024("--connections 5000");
    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .containsPattern("BLOCKS +open files per process +hard limit 1,024 .*needs 6,000")
        .contains("ulimit -n 6000")
        .contains("*  soft  nofile  6000")
        .contains("*  hard  nofile  6000")
        .contains("LimitNOFILE=6000")
        .contains("1 check(s) block 5,000 connections.");
  }

  @Test
  void aHundredConnectionsFitWithTheirReserve() throws Exception {
    // a simulator keeps 500 files back by default: 600 fit in 1,024
    Run sim = preflightUnderUlimit1024("--connections 100 --role simulator");
    assertThat(sim.exit()).as(sim.output()).isEqualTo(0);
    assertThat(sim.output()).contains("OK      open files per process").contains("Nothing blocks 100 connections.");
    // a node keeps 1,000 by default, which 1,024 does not leave room for; with a smaller reserve it fits
    Run node = preflightUnderUlimit1024("--connections 100");
    assertThat(node.exit()).as(node.output()).isEqualTo(1);
    assertThat(node.output()).contains("needs 1,100 (100 sockets + a reserve of 1,000)");
    Run lean = preflightUnderUlimit1024("--connections 100 --open-file-reserve 200");
    assertThat(lean.exit()).as(lean.output()).isEqualTo(0);
  }

  @Test
  void badFlagsExitWithTwo() throws Exception {
    Run run = preflightUnderUlimit1024("--connections 100 --role balancer");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output()).contains("--role: \"balancer\" is not allowed; use node or simulator");
    assertThat(preflightUnderUlimit1024("--connections -5").exit()).isEqualTo(2);
  }
}
