package dev.holdfast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the Debian packages a test needs (Chromium, Prometheus) are installed, by running the
 * project's own {@code bin/install-test-deps}: a fresh CI machine has nothing installed by hand.
 */
public final class TestDeps {

  private TestDeps() {}

  /**
   * Installs the packages when missing and returns once they are there; fails the test with the
   * installer's output when it cannot install them.
   */
  public static synchronized void require(String... debianPackages) {
    Path script = repoRoot().resolve("bin/install-test-deps");
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(debianPackages));
    try {
      Path log = Files.createTempFile("install-test-deps", ".log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("bin/install-test-deps " + String.join(" ", debianPackages) + " took over 15 min");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("bin/install-test-deps " + String.join(" ", debianPackages) + " failed (exit "
            + p.exitValue() + "):\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The repository's top folder: the nearest ancestor of the working directory with {@code bin/install-test-deps}. */
  public static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bin/install-test-deps"))) {
        return p;
      }
    }
    throw new AssertionError("bin/install-test-deps not found above " + Path.of("").toAbsolutePath());
  }
}
