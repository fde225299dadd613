package dev.holdfast.node;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;

/**
 * Runs Autobahn|Testsuite's fuzzing client once, in a JVM of its own: the client runs on a Twisted
 * reactor under Jython, and a reactor cannot be started twice in one process. It writes its
 * reports under {@code target/autobahntestsuite-reports} of the working directory.
 *
 * <p>Arguments: the {@code ws://} URL, the cases (comma-separated patterns), the cases to exclude.
 */
public final class AutobahnRun {

  private AutobahnRun() {
  }

  public static void main(String[] args) {
    List<String> cases = Arrays.asList(args[1].split(","));
    List<String> exclude = args.length > 2 && !args[2].isEmpty() ? Arrays.asList(args[2].split(",")) : List.of();
    // protocol version 18 is RFC 6455 in the suite's terms, as in the Maven plugin's own mojo
    AutobahnTestSuite.runFuzzingClient("holdfast", args[0], Map.of("version", 18), cases, exclude);
    System.exit(0); // Jython's threads would keep the JVM alive
  }
}
