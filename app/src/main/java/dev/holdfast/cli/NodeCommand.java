package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.metrics.Metrics;
import dev.holdfast.node.EchoNode;
import dev.holdfast.node.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code holdfast node}: runs an echo node until SIGTERM, then drains it. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Runs an echo node: WebSocket echo on every event loop, an admin HTTP port",
        "(/health /ready /status /metrics), counts checked against the kernel's.",
        "Flags override the JSON config file; every field has a default (see README)."})
final class NodeCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file")
  Path config;

  @Option(names = "--node-id", paramLabel = "ID", description = "Node id (default: hostname-pid)")
  String nodeId;

  @Option(names = "--host", description = "Host the WebSocket port binds to (default 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "WebSocket port; 0 = any free port (default 8080)")
  Integer port;

  @Option(names = "--path", description = "WebSocket path (default /ws)")
  String path;

  @Option(names = "--admin-host", description = "Host of the admin HTTP port (default 127.0.0.1)")
  String adminHost;

  @Option(names = "--admin-port", description = "Admin HTTP port; 0 = any free port (default 9090)")
  Integer adminPort;

  @Option(names = "--instances", description = "Echo verticle instances = event loops (default: cores)")
  Integer instances;

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Admission cap; 0 = what the open-file limit allows, less the reserve (default 0)")
  Long maxConnections;

  @Option(names = "--standalone", description = "Do not join a cluster")
  boolean standalone;

  @Option(names = "--cluster-config", paramLabel = "NAME|FILE",
      description = "Hazelcast config: loopback (default), members, multicast, kubernetes, or a file path")
  String clusterConfig;

  @Override
  public Integer call() throws Exception {
    NodeConfig cfg;
    try {
      cfg = NodeConfig.fromJson(withFlags(config == null ? new JsonObject() : ConfigReader.readFile(config)));
    } catch (ConfigException e) {
      return Cli.configError("node", e);
    }
    PrometheusMeterRegistry registry = Metrics.newRegistry("node", cfg.nodeId());
    Vertx vertx = EchoNode.standaloneVertx(cfg, registry);
    EchoNode node;
    try {
      node = EchoNode.launch(cfg, vertx, registry, router -> { }).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException ce) {
        return Cli.configError("node", ce);
      }
      System.err.println("holdfast node: could not start: " + cause);
      return Holdfast.FAILED;
    }
    printBanner(node, vertx);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("holdfast node " + node.nodeId() + ": draining " + node.held() + " connections");
      try {
        node.stop().eventually(() -> vertx.close())
            .await(cfg.closeTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("holdfast node: stop: " + e);
      }
      System.out.println("holdfast node " + node.nodeId() + ": stopped");
      stopped.countDown();
    }, "holdfast-stop"));
    stopped.await();
    return 0;
  }

  private JsonObject withFlags(JsonObject json) {
    put(json, "nodeId", nodeId);
    put(json, "host", host);
    put(json, "port", port);
    put(json, "path", path);
    put(json, "adminHost", adminHost);
    put(json, "adminPort", adminPort);
    put(json, "instances", instances);
    put(json, "maxConnections", maxConnections);
    if (standalone || clusterConfig != null) {
      JsonObject cluster = json.getValue("cluster") instanceof JsonObject o ? o : new JsonObject();
      if (standalone) {
        cluster.put("enabled", false);
      }
      put(cluster, "config", clusterConfig);
      json.put("cluster", cluster);
    }
    return json;
  }

  private static void put(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void printBanner(EchoNode node, Vertx vertx) {
    NodeConfig c = node.config();
    System.out.printf("holdfast node %s: %s, %d echo verticles, %s transport%n", node.nodeId(), node.wsUrl(),
        c.instances(), vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
    System.out.printf("  open-file limit %d allows %d sockets (reserve %d); admission cap %d%n",
        node.openFiles(), node.socketsAllowed(), c.openFileReserve(), node.maxConnections());
    System.out.printf("  admin http://%s:%d  (/health /ready /status /metrics)%n", c.adminHost(), node.adminPort());
  }
}
