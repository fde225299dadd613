package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load driver as the harness sees it: a child process whose {@code @event} lines are queued
 * for the harness, whose other lines are shown as progress and logged, and which is told
 * {@code go} and {@code close} on its stdin.
 */
final class DriverProcess {

  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();

  private DriverProcess(Process process, Path log) throws IOException {
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Writer logWriter = Files.newBufferedWriter(log);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          logWriter) {
        for (String line; (line = in.readLine()) != null; ) {
          logWriter.write(line + "\n");
          logWriter.flush();
          if (line.startsWith("@")) {
            int sp = line.indexOf(' ');
            events.add(new String[] {line.substring(1, sp), line.substring(sp + 1)});
          } else {
            System.out.println("    driver: " + line);
          }
        }
      } catch (IOException e) {
        // the process ended; awaitEvent reports it
      }
      events.add(new String[] {"exit", "{}"});
    }, "driver-output");
    reader.setDaemon(true);
    reader.start();
  }

  static DriverProcess start(List<String> launcher, Path java, List<String> jvmFlags, Path jar, List<String> args,
      Path log) throws IOException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(java.toString());
    cmd.addAll(jvmFlags);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("drive");
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd)
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
        .start();
    return new DriverProcess(p, log);
  }

  /** The body of the next event, which must be {@code name}; skips progress-only events. */
  JsonObject awaitEvent(String name, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      String[] e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new IOException("driver sent no '" + name + "' within " + max.toSeconds() + " s");
      }
      if (e[0].equals(name)) {
        return new JsonObject(e[1]);
      }
      if (e[0].equals("exit")) {
        throw new IOException("driver exited before '" + name + "'");
      }
    }
  }

  long pid() {
    return process.pid();
  }

  void send(String command) {
    commands.println(command);
  }

  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
