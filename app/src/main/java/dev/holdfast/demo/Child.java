package dev.holdfast.demo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One process the demo started: an echo node or a simulator, a JVM of the same fat jar, with its
 * admin URL (where the demo reads its state), its PID and its log file.
 */
public final class Child {

  /** What a child runs. */
  public enum Role {
    NODE("node"), SIMULATOR("simulator");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Role role;
  private final String name;
  private final int adminPort;
  private final int wsPort;
  private final Path log;
  private final Process process;

  Child(Role role, String name, int adminPort, int wsPort, Path log, Process process) {
    this.role = role;
    this.name = name;
    this.adminPort = adminPort;
    this.wsPort = wsPort;
    this.log = log;
    this.process = process;
  }

  public Role role() {
    return role;
  }

  /** The child's name in the demo, its reports and its node id: {@code node-1}, {@code sim-2}. */
  public String name() {
    return name;
  }

  /** Its admin HTTP port's base URL ({@code /status}, {@code /metrics}, {@code /health}). */
  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  /** A node's WebSocket URL; empty for a simulator. */
  public String wsUrl() {
    return role == Role.NODE ? "ws://127.0.0.1:" + wsPort + "/ws" : "";
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Its exit code, or -1 while it runs. */
  public int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  /** The last {@code n} lines of its log (stdout and stderr), for a report of its death. */
  public List<String> lastLogLines(int n) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(log unreadable: " + e.getMessage() + ")");
    }
  }

  /** What {@code children.json} lists for it: enough for a caller to find and scrape it. */
  public JsonObject toJson() {
    return new JsonObject().put("role", role.label()).put("name", name).put("pid", pid()).put("adminUrl", adminUrl())
        .put("wsUrl", wsUrl()).put("log", log.getFileName().toString());
  }
}
