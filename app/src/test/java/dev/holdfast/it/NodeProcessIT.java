package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar as an operator runs it: start-up banner, config errors, graceful stop on SIGTERM. */
class NodeProcessIT {

  @Test
  void aBadConfigNamesTheFieldAndExitsNonZeroWithoutAStackTrace(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.json");
    Files.writeString(config, "{\"port\": 70000, \"instances\": 2}");
    try (HoldfastProcess p = HoldfastProcess.start("node", "--config", config.toString(), "--standalone")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.output())
          .contains("config error at $.port: 70000 is not allowed; use a whole number from 0 to 65535")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
    Files.writeString(config, "{\"instnaces\": 2}");
    try (HoldfastProcess p = HoldfastProcess.start("node", "--config", config.toString(), "--standalone")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.output()).contains("$.instnaces: unknown field");
    }
  }

  @Test
  void aCapAboveTheOpenFileLimitPointsAtThePreflightThatConfirmsIt() throws Exception {
    long cap = 10_000_000; // above any open-file limit this machine gives a test
    String advice;
    try (HoldfastProcess p = HoldfastProcess.start("node", "--standalone", "--port", "0", "--admin-port", "0",
        "--max-connections", Long.toString(cap))) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
      advice = p.output();
    }
    String preflight = "holdfast preflight --connections " + cap + " --role node";
    assertThat(advice).contains("config error at $.maxConnections: " + cap + " is more than this process can hold")
        .contains("`" + preflight + "` prints the exact fix").doesNotContain("\tat ");
    // the command it names is real, and agrees that the limit blocks
    try (HoldfastProcess p = HoldfastProcess.start(preflight.substring("holdfast ".length()).split(" "))) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(p.output()).contains("BLOCKS  open files per process").contains("LimitNOFILE=" + (cap + 1000));
    }
  }

  @Test
  void sigtermClosesConnectionsWith1001AndExits() throws Exception {
    try (HoldfastProcess node = HoldfastProcess.start("node", "--standalone", "--port", "0", "--admin-port", "0")) {
      int port = node.wsPort();
      // the banner's next line may still be on its way through the output pipe: wait for it
      assertThat(node.awaitLine("open-file limit", Duration.ofSeconds(30))).contains("admission cap");
      CompletableFuture<Integer> closeCode = new CompletableFuture<>();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              closeCode.complete(statusCode);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      assertThat(ws.isInputClosed()).isFalse();
      node.terminate();
      assertThat(closeCode.get(20, TimeUnit.SECONDS)).isEqualTo(1001);
      node.waitFor(Duration.ofSeconds(30));
      assertThat(node.output()).contains("draining 1 connections").contains("stopped");
    }
  }

  @Test
  void helpListsTheFlagsScriptsRelyOn() throws Exception {
    try (HoldfastProcess p = HoldfastProcess.start("node", "--help")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(p.output()).contains("--host", "--port", "--admin-port", "--instances", "--max-connections",
          "--standalone", "--cluster-config", "--config");
    }
  }

  static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
