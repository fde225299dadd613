package dev.holdfast.it;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The fat-jar processes one test started, closed together after it (by PID, through
 * {@link HoldfastProcess#close()}), and the readers of their admin JSON that such tests share.
 */
final class StartedProcesses implements AutoCloseable {

  private final List<HoldfastProcess> started = new ArrayList<>();

  /** Starts {@code holdfast ARGS...} and keeps it for {@link #close()}. */
  HoldfastProcess start(String... args) throws Exception {
    HoldfastProcess p = HoldfastProcess.start(args);
    started.add(p);
    return p;
  }

  @Override
  public void close() throws Exception {
    for (HoldfastProcess p : started) {
      p.close();
    }
  }

  /** An admin endpoint's JSON, or {@code {"error": ...}} while the process does not answer. */
  static JsonObject get(int adminPort, String path) {
    try {
      return new JsonObject(NodeProcessIT.get(adminPort, path));
    } catch (Exception e) {
      return new JsonObject().put("error", e.toString());
    }
  }

  /** A simulator's own count of held connections from its {@code /status} (-1 when absent). */
  static long simHeld(JsonObject status) {
    return status.getJsonObject("population", new JsonObject()).getLong("held", -1L);
  }

  /** A simulator's share of the population from its {@code /status} (-1 when absent). */
  static long share(JsonObject status) {
    return status.getJsonObject("population", new JsonObject()).getLong("share", -1L);
  }
}
