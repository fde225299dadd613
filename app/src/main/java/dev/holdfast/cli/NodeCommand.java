package dev.holdfast.cli;

import dev.holdfast.admin.AdminServer;
import dev.holdfast.cluster.ClusterSettings;
import dev.holdfast.cluster.ClusterView;
import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import dev.holdfast.node.EchoNode;
import dev.holdfast.node.NodeConfig;
import dev.holdfast.role.RoleRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code holdfast node}: runs an echo node until SIGTERM, then leaves the cluster view and drains. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Runs an echo node: WebSocket echo on every event loop, an admin HTTP port",
        "(/health /ready /status /cluster /metrics), counts checked against the kernel's,",
        "joined to a Hazelcast cluster unless --standalone.",
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

  @Option(names = "--no-warmup", description = "Report ready without first warming the handshake and echo paths "
      + "on loopback connections of its own (default: warm up; see the config's warmup)")
  boolean noWarmup;

  // bin/holdfast's training run for the class-data archive: start (warm-up included), then stop at once
  @Option(names = "--exit-when-ready", hidden = true)
  boolean exitWhenReady;

  @Mixin
  ClusterOptions clusterOptions;

  @Override
  public Integer call() throws Exception {
    NodeConfig cfg;
    try {
      cfg = NodeConfig.fromJson(withFlags(config == null ? new JsonObject() : ConfigReader.readFile(config)));
    } catch (ConfigException e) {
      return Cli.configError("node", e);
    }
    ClusterSettings cs = cfg.cluster();
    Cli.Started started;
    try {
      started = Cli.start(EchoNode.roleOptions(cfg), cs);
    } catch (ConfigException e) {
      return Cli.configError("node", e);
    } catch (Exception e) {
      System.err.println("holdfast node: could not join the cluster (" + cs + "): " + Cli.rootCause(e));
      return Holdfast.FAILED;
    }
    RoleRuntime runtime = started.runtime();
    PrometheusMeterRegistry registry = runtime.registry();
    ClusterView clusterView = started.view();
    EchoNode node;
    try {
      node = EchoNode.launch(cfg, runtime, router -> router.get("/cluster").handler(rc -> {
        if (clusterView == null) {
          AdminServer.json(rc, 404, new JsonObject().put("error", "standalone node: no cluster view"));
        } else {
          clusterView.freshJson().onComplete(ar -> AdminServer.json(rc, 200, ar.result())); // rows read on demand
        }
      })).await(60, TimeUnit.SECONDS);
      if (clusterView != null) {
        clusterView.start(node::snapshot).await(30, TimeUnit.SECONDS);
        clusterView.registerMetrics(registry);
        node.clusterStatus(() -> new JsonObject().put("enabled", true).put("name", clusterView.clusterName())
            .put("config", cs.config()).put("members", clusterView.members()));
      }
    } catch (Exception e) {
      runtime.close();
      Throwable cause = Cli.rootCause(e);
      if (cause instanceof ConfigException ce) {
        return Cli.configError("node", ce);
      }
      System.err.println("holdfast node: could not start: " + cause);
      return Holdfast.FAILED;
    }
    printBanner(node, runtime, clusterView, cs);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stopSequence = () -> {
      node.beginDrain();
      System.out.println("holdfast node " + node.nodeId() + ": leaving the cluster view, draining " + node.held()
          + " connections");
      // one step after the other on this thread: not ready, leave the view, drain, then leave the cluster
      Cli.awaitQuietly("leave the cluster view", clusterView == null ? Future.succeededFuture() : clusterView.stop(), 10_000);
      Future<Void> drain = node.stop();
      Cli.awaitQuietly("drain", drain, node.drainBound().toMillis() + 10_000);
      Cli.awaitQuietly("close", runtime.close(), 30_000);
      System.out.println("holdfast node " + node.nodeId() + ": stopped");
      stopped.countDown();
    };
    // POST /drain: the same sequence, then the process exits as after SIGTERM
    node.onDrainRequested(() -> {
      if (stopping.compareAndSet(false, true)) {
        new Thread(stopSequence, "holdfast-drain").start();
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (stopping.compareAndSet(false, true)) {
        stopSequence.run();
      } else {
        awaitStopped(stopped);
      }
    }, "holdfast-stop"));
    if (exitWhenReady && stopping.compareAndSet(false, true)) {
      stopSequence.run();
    }
    stopped.await();
    return 0;
  }

  private static void awaitStopped(CountDownLatch stopped) {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JsonObject withFlags(JsonObject json) {
    Cli.putIfGiven(json, "nodeId", nodeId);
    Cli.putIfGiven(json, "host", host);
    Cli.putIfGiven(json, "port", port);
    Cli.putIfGiven(json, "path", path);
    Cli.putIfGiven(json, "adminHost", adminHost);
    Cli.putIfGiven(json, "adminPort", adminPort);
    Cli.putIfGiven(json, "instances", instances);
    Cli.putIfGiven(json, "maxConnections", maxConnections);
    if (noWarmup) {
      JsonObject warmup = json.getValue("warmup") instanceof JsonObject w ? w : new JsonObject();
      json.put("warmup", warmup.put("enabled", false));
    }
    clusterOptions.applyTo(json);
    return json;
  }


  private static void printBanner(EchoNode node, RoleRuntime runtime, ClusterView view, ClusterSettings cs) {
    NodeConfig c = node.config();
    System.out.printf("holdfast node %s: %s, %d echo verticles, %s transport%n", node.nodeId(), node.wsUrl(),
        c.instances(), runtime.transportName());
    System.out.printf("  open-file limit %d allows %d sockets (reserve %d); admission cap %d%n",
        node.openFiles(), node.socketsAllowed(), c.openFileReserve(), node.maxConnections());
    if (view != null) {
      System.out.printf("  cluster %s (%s config): %d members, %d echo nodes in the view, %d connections%n",
          view.clusterName(), cs.config(), view.members(), view.snapshots("node").size(), view.heldByNodes());
    } else {
      System.out.println("  standalone: no cluster");
    }
    System.out.printf("  admin http://%s:%d  (/health /ready /status /cluster /metrics)%n", c.adminHost(), node.adminPort());
  }
}
