package dev.holdfast.demo;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the children's admin ports: {@code /status} (JSON), the simulators' error counts by class
 * from {@code /metrics}, and times a WebSocket handshake to a node (the demo's own probe of
 * handshake latency). A child that does not answer in time reads as empty, never as an exception.
 */
public final class StatusClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Pattern ERROR_LINE = Pattern.compile("^holdfast_sim_errors_total\\{.*?class=\"([^\"]+)\".*?\\}\\s+(\\S+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** {@code GET adminUrl/status}, or empty if it does not answer 200 with JSON in time. */
  public Optional<JsonObject> status(Child c) {
    return get(c.adminUrl() + "/status").flatMap(body -> {
      try {
        return Optional.of(new JsonObject(body));
      } catch (DecodeException e) {
        return Optional.empty();
      }
    });
  }

  /** A simulator's errors by class (non-zero ones), from its Prometheus {@code holdfast_sim_errors_total}. */
  public Map<String, Long> errorsByClass(Child sim) {
    Map<String, Long> out = new HashMap<>();
    get(sim.adminUrl() + "/metrics").ifPresent(text -> {
      for (String line : text.split("\n")) {
        Matcher m = ERROR_LINE.matcher(line);
        if (m.find()) {
          long n = (long) Double.parseDouble(m.group(2));
          if (n > 0) {
            out.merge(m.group(1), n, Long::sum);
          }
        }
      }
    });
    return out;
  }

  private Optional<String> get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Opens one WebSocket to a node, closes it at once, and returns how long the TCP connect plus
   * upgrade took in milliseconds; NaN if it failed.
   */
  public double handshakeMillis(Child node) {
    long start = System.nanoTime();
    try {
      WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
          .buildAsync(URI.create(node.wsUrl()), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              return null;
            }
          }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      double ms = (System.nanoTime() - start) / 1e6;
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "probe").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        ws.abort();
      }
      return ms;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
