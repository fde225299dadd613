package dev.holdfast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, started by the harness as {@code java FLAGS -jar JAR ARGS} with its output
 * in a log file, and measured from outside: CPU and RSS from /proc, live heap and class histogram
 * with the jcmd of its own JDK (see {@link Snapshot}). Stopped by SIGTERM to its own PID, never by name.
 */
final class ServerProcess {

  private final String name;
  private final Process process;
  private final Path jcmd;
  private final Path log;

  private ServerProcess(String name, Process process, Path jcmd, Path log) {
    this.name = name;
    this.process = process;
    this.jcmd = jcmd;
    this.log = log;
  }

  /** @param launcher words put before {@code java} (e.g. {@code taskset -c 0}; it execs java, so the pid stays java's) */
  static ServerProcess start(String name, List<String> launcher, Path java, List<String> jvmFlags, Path jar,
      List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(java.toString());
    cmd.addAll(jvmFlags);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    Path jcmd = java.toRealPath().getParent().resolve("jcmd");
    return new ServerProcess(name, p, jcmd, log);
  }

  long pid() {
    return process.pid();
  }

  String command() {
    return process.info().commandLine().orElse("?");
  }

  /** Waits until the port accepts TCP connections; fails early if the process dies. */
  void awaitListening(int port, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + " before listening; see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException(name + " did not listen on " + port + " within " + max + "; see " + log);
  }

  long cpuTicks() throws IOException {
    return ProcStats.cpuTicks(pid());
  }

  long rssKb() throws IOException {
    return ProcStats.rssKb(pid());
  }

  /**
   * The Java heap's reserved address range, from {@code jcmd PID GC.heap_info}: the lowest and
   * highest addresses it prints (its format differs by collector, the addresses do not).
   */
  long[] heapRange() throws IOException, InterruptedException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x([0-9a-fA-F]{8,16})").matcher(jcmd("GC.heap_info"));
    long lo = Long.MAX_VALUE;
    long hi = 0;
    while (m.find()) {
      long a = Long.parseUnsignedLong(m.group(1), 16);
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    if (hi == 0) {
      throw new IOException("no heap addresses in GC.heap_info of " + name);
    }
    return new long[] {lo, hi};
  }

  /** Resident KiB inside the Java heap's reserved range. */
  long heapRssKb(long[] range) throws IOException {
    return ProcStats.rssInRangeKb(pid(), range[0], range[1]);
  }

  String jcmd(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid() + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns the exit code. */
  int stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy(); // SIGTERM on Linux
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      System.out.println("  " + name + " did not stop within " + grace.toSeconds() + " s of SIGTERM; killing pid " + pid());
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** For the harness's shutdown hook: end this process if it is still running. */
  void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
