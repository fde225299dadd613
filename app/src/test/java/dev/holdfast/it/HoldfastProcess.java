package dev.holdfast.it;

import dev.holdfast.testing.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code java -jar holdfast.jar ...} process, as an operator would start it, with its
 * output captured. Tests end it by its own PID (SIGTERM or SIGKILL), never by name.
 */
final class HoldfastProcess implements AutoCloseable {

  private static final Pattern WS_URL = Pattern.compile("(ws://[\\d.]+:(\\d+)/\\S*)");
  private static final Pattern ADMIN = Pattern.compile("admin http://[\\d.]+:(\\d+)");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread pump;

  private HoldfastProcess(Process process) {
    this.process = process;
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code holdfast ARGS...} from the fat jar built in this module's package phase. */
  static HoldfastProcess start(String... args) throws IOException {
    return startWith(List.of(), List.of(), args);
  }

  /**
   * Starts {@code holdfast ARGS...} behind {@code launcher} (such as {@code ip netns exec NAME},
   * which execs java, so the PID is still the JVM's), with extra JVM options.
   */
  static HoldfastProcess startWith(List<String> launcher, List<String> jvmOptions, String... args) throws IOException {
    String jar = System.getProperty("holdfast.jar", "target/holdfast.jar");
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar));
    cmd.addAll(List.of(args));
    return new HoldfastProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** Waits for an output line containing {@code text}; fails with the whole output if none comes. */
  String awaitLine(String text, Duration deadline) throws InterruptedException {
    String found = Eventually.poll(deadline, () -> lineContaining(text), l -> l != null || !process.isAlive());
    if (found == null && !process.isAlive()) {
      pump.join(TimeUnit.SECONDS.toMillis(5)); // it ended: read what it printed last
      found = lineContaining(text);
    }
    if (found != null) {
      return found;
    }
    throw new AssertionError("no line containing \"" + text + "\" within " + deadline + "; output:\n" + output());
  }

  private String lineContaining(String text) {
    for (String line : lines) {
      if (line.contains(text)) {
        return line;
      }
    }
    return null;
  }

  /** The WebSocket port the node printed in its banner. */
  int wsPort() throws InterruptedException {
    Matcher m = WS_URL.matcher(awaitLine("ws://", Duration.ofSeconds(60)));
    if (!m.find()) {
      throw new AssertionError(output());
    }
    return Integer.parseInt(m.group(2));
  }

  /** The admin port the node printed in its banner. */
  int adminPort() throws InterruptedException {
    Matcher m = ADMIN.matcher(awaitLine("admin http://", Duration.ofSeconds(60)));
    if (!m.find()) {
      throw new AssertionError(output());
    }
    return Integer.parseInt(m.group(1));
  }

  String output() {
    return String.join("\n", lines);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM: the graceful stop. */
  void terminate() {
    process.toHandle().destroy(); // unlike Process.destroy(), leaves our end of its output open

  }

  /** SIGKILL: the node dies without a word. */
  void kill() {
    process.toHandle().destroyForcibly();
  }

  int waitFor(Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + pid() + " still running after " + deadline + "; output:\n" + output());
    }
    pump.join(TimeUnit.SECONDS.toMillis(10)); // the last lines are read after the process ends
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
